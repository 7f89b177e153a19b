/**
 * The policy file and everything derived from it: {@link dev.betterauthz.policy.PolicyLoader} reads
 * and validates the YAML (every problem reported with file, line and column) into an immutable
 * {@link dev.betterauthz.policy.Policy}; {@link dev.betterauthz.policy.CompiledRouteTable} matches
 * method and path against routes compiled once into segment matchers (first match wins); {@link
 * dev.betterauthz.policy.RequestPaths} turns Envoy's raw {@code :path} into the one path routes
 * see, or refuses it as ambiguous; {@link dev.betterauthz.policy.PermissionSet} evaluates Better
 * Auth-style grants; {@link dev.betterauthz.policy.PolicyWatcher} reloads the file when it changes
 * and swaps the whole policy atomically, keeping the previous one when a new version is invalid.
 * Nothing here does IO on the request path.
 */
package dev.betterauthz.policy;
