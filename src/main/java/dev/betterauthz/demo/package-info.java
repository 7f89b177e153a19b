/**
 * The demo's sample upstream: a service with no authentication code that trusts the identity
 * headers a gateway sets after better-authz allowed the request, and echoes them back.
 */
package dev.betterauthz.demo;
