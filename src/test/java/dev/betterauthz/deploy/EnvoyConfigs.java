package dev.betterauthz.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.request_id.uuid.v3.UuidRequestIdConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Parses an Envoy YAML config strictly into Envoy's {@link Bootstrap} proto: YAML to JSON, then
 * {@link JsonFormat} without {@code ignoringUnknownFields}, with a type registry holding every
 * typed extension the configs use. An unknown field or {@code @type} fails, as {@code envoy --mode
 * validate} would (it does not check the PGV range rules).
 */
final class EnvoyConfigs {
  static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(HttpConnectionManager.getDescriptor())
          .add(ExtAuthz.getDescriptor())
          .add(ExtAuthzPerRoute.getDescriptor())
          .add(Router.getDescriptor())
          .add(HttpProtocolOptions.getDescriptor())
          .add(StdoutAccessLog.getDescriptor())
          .add(UuidRequestIdConfig.getDescriptor())
          .build();

  private static final ObjectMapper JSON = new ObjectMapper();

  private EnvoyConfigs() {}

  static Bootstrap parse(String yaml) throws InvalidProtocolBufferException {
    Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    String json;
    try {
      json = JSON.writeValueAsString(tree);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("YAML cannot be written as JSON", e);
    }
    Bootstrap.Builder builder = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(TYPES).merge(json, builder);
    return builder.build();
  }
}
