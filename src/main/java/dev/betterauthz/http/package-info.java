/**
 * The HTTP side of better-authz on {@code AUTHZ_HTTP_PORT}: forward-auth {@code /check} for nginx
 * {@code auth_request}, Traefik {@code forwardAuth} and Envoy {@code http_service}, plus {@code
 * /healthz}, {@code /readyz} and {@code /metrics}. Requests become {@link
 * dev.betterauthz.pipeline.AccessRequest}s here and decisions go back as the same statuses, headers
 * and bodies the gRPC adapter sends; nothing in this package decides anything itself except
 * refusing a request whose original method and path cannot be known for certain.
 */
package dev.betterauthz.http;
