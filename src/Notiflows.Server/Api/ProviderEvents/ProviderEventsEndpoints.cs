using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Notiflows.Server.Api.Management.Channels;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Providers.Events;
using Notiflows.Server.Startup;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Api.ProviderEvents;

/// <summary>The answer to a verified request: <c>{}</c>, whether or not any of its events applied.</summary>
public sealed record ProviderEventsAccepted;

/// <summary>
/// <c>POST /providers/v1/{channel_id}/events</c> (§14.4): delivery events from a channel's provider. No API keys and no rate
/// limit (it is outside the Admin, User and Management groups): the request is verified the provider's way with the channel's
/// configuration, the body is read in the provider's own format (§4.1 does not apply, only its 1 MiB limit), and every event
/// of a verified request is applied in one transaction.
/// </summary>
public static class ProviderEventsEndpoints
{
    public const string PublicUrlSetting = "Notiflows:PublicUrl";

    public static void MapProviderEvents(this IEndpointRouteBuilder app) =>
        app.MapPost("/providers/v1/{channel_id}/events", ReceiveAsync).WithTags("Provider events").WithName("ReceiveProviderEvents")
            .WithSummary("Delivery events from a channel's provider (sendgrid, postmark, mailgun, ses, resend, twilio), verified its way.");

    private static async Task<Results<Ok<ProviderEventsAccepted>, ApiError>> ReceiveAsync(
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, Db db, MasterKey key, ServerSettings settings,
        IEnumerable<IProviderEventSource> sources, IConfiguration config, TimeProvider time, CancellationToken ct)
    {
        if (!Guid.TryParse(channelId, out var id))
        {
            return ApiError.InvalidUuid("channel_id");
        }
        var channel = await db.ReadAsync(s => ChannelStore.FindAnyAsync(s, id, ct), ct);
        var source = channel is null ? null : sources.LastOrDefault(x => x.Provider == channel.Provider);
        if (channel is null || source is null)
        {
            return ApiError.NotFound("channel", channelId);
        }
        var (body, bodyError) = await JsonBody.ReadBytesAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var channelConfig = ConfigOf(channel, key);
        var headers = http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var events = channelConfig is null
            ? null
            : await source.ReadAsync(new InboundRequest(PublicUrl(http.Request, config[PublicUrlSetting]), headers, body.ToArray(), channelConfig), ct);
        if (events is null)
        {
            return ApiError.Unauthenticated("provider_signature", "Missing or invalid provider signature");
        }
        if (events.Count > 0)
        {
            var now = time.Now();
            await db.WriteAsync(async s =>
            {
                foreach (var e in events)
                {
                    _ = e.Kind == ProviderEventKind.Delivered
                        ? await DeliveryEventsStore.DeliveredAsync(s, channel.Id, e.ProviderMessageId, now, ct)
                        : await DeliveryEventsStore.BouncedAsync(s, channel.Id, e.ProviderMessageId, e.Reason ?? "bounced", now, ct);
                }
                return 0;
            }, ct);
        }
        return TypedResults.Ok(new ProviderEventsAccepted());
    }

    /// <summary>
    /// The URL the provider called, as it signed it: <c>Notiflows:PublicUrl</c> (the server's public origin, as configured in
    /// the provider's console) followed by the request target as sent (path and query); without the setting, the request's
    /// own scheme and host.
    /// </summary>
    public static Uri PublicUrl(HttpRequest request, string? publicUrl)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw && raw.StartsWith('/')
            ? raw
            : (request.PathBase + request.Path + request.QueryString).ToString();
        var origin = string.IsNullOrWhiteSpace(publicUrl) ? $"{request.Scheme}://{request.Host}" : publicUrl.Trim().TrimEnd('/');
        return Uri.TryCreate(origin + target, UriKind.Absolute, out var url) ? url : new Uri($"{request.Scheme}://{request.Host}{target}");
    }

    /// <summary>The channel's configuration with its secrets; null when they cannot be decrypted (nothing can be verified).</summary>
    private static JsonObject? ConfigOf(ChannelRow channel, MasterKey key)
    {
        try
        {
            return ChannelViews.Merged(channel, key);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
