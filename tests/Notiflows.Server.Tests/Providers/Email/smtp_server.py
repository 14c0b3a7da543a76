"""A real SMTP server for the SMTP provider tests (aiosmtpd, Debian's python3-aiosmtpd).

    smtp_server.py --port N --out DIR [--security none|starttls|tls --cert PEM --key PEM] [--auth USER:PASSWORD]

Writes each accepted message to DIR/<n>.json: {mail_from, rcpt_tos, data (the raw message), login, tls}.
Scripted replies by recipient: an address starting with "tempfail" gets 451 at RCPT, "reject" gets 550.
Prints READY once listening; stops when stdin closes.
"""
import argparse, json, os, ssl, sys
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out):
        self.out, self.count = out, 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("tempfail"):
            return "451 4.3.0 Mailbox temporarily unavailable"
        if address.startswith("reject"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        ssl_object = server.transport.get_extra_info("ssl_object")
        login = session.login_data.decode() if isinstance(session.login_data, bytes) else session.login_data
        self.count += 1
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.original_content.decode("utf-8", "replace"),
            "login": login,
            "tls": ssl_object is not None or session.ssl is not None,
        }
        path = os.path.join(self.out, f"{self.count}.json")
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.replace(path + ".tmp", path)
        return "250 2.0.0 Ok: queued as Q%d" % self.count


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--security", default="none")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--auth")
    a = p.parse_args()

    kwargs = {}
    context = None
    if a.security != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)
    if a.security == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif a.security == "tls":
        kwargs.update(ssl_context=context)
    if a.auth:
        user, password = a.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=a.security != "none")

    controller = Controller(Handler(a.out), hostname="127.0.0.1", port=a.port, **kwargs)
    controller.start()
    print("READY", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
