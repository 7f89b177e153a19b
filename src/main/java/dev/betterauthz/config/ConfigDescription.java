package dev.betterauthz.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The effective configuration as printable pairs, secrets and URL passwords masked. */
public final class ConfigDescription {
  static final String MASK = "****";

  private ConfigDescription() {}

  public static Map<String, String> describe(AppConfig c) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("grpc", c.server().bindAddress() + ":" + c.server().grpcPort());
    out.put("http", c.server().bindAddress() + ":" + c.server().httpPort());
    out.put("policy_file", c.policy().file().toString());
    out.put("jwks", c.jwt().jwksUrl().map(URI::toString).orElse("db"));
    out.put("issuer", c.jwt().issuer());
    out.put("audience", String.join(",", c.jwt().audiences()));
    out.put("algorithms", String.join(",", c.jwt().algorithms()));
    out.put("clock_skew", Settings.show(c.jwt().clockSkew()));
    out.put("database", maskUrl(c.database().url()));
    out.put("schema", c.database().naming().value());
    out.put("schema_overrides", c.schema().overrides().toString());
    out.put("dynamic_roles", String.valueOf(c.schema().dynamicRoles()));
    out.put("redis", c.redis().url().map(ConfigDescription::maskUrl).orElse("off"));
    out.put("perm_cache_ttl", Settings.show(c.redis().permTtl()));
    out.put("nats", c.nats().url().map(ConfigDescription::maskUrl).orElse("off"));
    out.put("nats_subject_prefix", c.nats().subjectPrefix());
    out.put("nats_stream", c.nats().jetStreamStream().orElse("none"));
    out.put("local_cache", c.cache().localEnabled() ? Settings.show(c.cache().localTtl()) : "off");
    out.put("sessions", c.session().secret().map(s -> "on (secret " + MASK + ")").orElse("off"));
    out.put("startup_checks", c.server().startupChecks().name().toLowerCase(java.util.Locale.ROOT));
    return out;
  }

  /** Replaces the password of a {@code scheme://user:password@host} URL. */
  public static String maskUrl(String url) {
    return Optional.of(url)
        .map(u -> u.replaceAll("(?<=://)([^:/@]*):[^@/]*@", "$1:" + MASK + "@"))
        .orElse(url);
  }
}
