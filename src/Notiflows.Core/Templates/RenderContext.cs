using System.Text.Json.Nodes;
using Notiflows.Core.Conditions;

namespace Notiflows.Core.Templates;

/// <summary>
/// Everything a template sees (§11.2): the condition values plus <paramref name="Notiflow"/> <c>{handle, name}</c> and
/// <paramref name="Channel"/> <c>{handle, type}</c>. <paramref name="Now"/> is what the <c>date</c> filter uses for <c>"now"</c>.
/// </summary>
public sealed record RenderContext(
    EvaluationContext Values, JsonObject Notiflow, JsonObject Channel, Guid NotificationId, DateTimeOffset Now);
