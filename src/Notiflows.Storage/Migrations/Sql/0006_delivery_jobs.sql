-- Provider sends (delivery jobs) are claimed by their own worker loop, apart from the engine's run and notification jobs,
-- so a slow or hanging provider never holds up the engine (and a backlog of one kind is never scanned by the other's
-- claim). One partial index per side, in due order; the claims repeat these predicates literally so both databases use them.
DROP INDEX jobs_due;
CREATE INDEX jobs_due_engine ON jobs (due_at) WHERE kind <> 'delivery';
CREATE INDEX jobs_due_delivery ON jobs (due_at) WHERE kind = 'delivery';
