package dev.betterauthz.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthz;
import io.envoyproxy.envoy.extensions.filters.http.ext_authz.v3.ExtAuthzPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EnvoyConfigTest {
  private static final String EXT_AUTHZ = "envoy.filters.http.ext_authz";

  private static Bootstrap load(String name) throws IOException {
    return EnvoyConfigs.parse(Files.readString(Path.of("envoy", name)));
  }

  private static HttpConnectionManager hcm(Bootstrap b) throws IOException {
    return b.getStaticResources()
        .getListeners(0)
        .getFilterChains(0)
        .getFilters(0)
        .getTypedConfig()
        .unpack(HttpConnectionManager.class);
  }

  private static ExtAuthz extAuthz(HttpConnectionManager hcm) throws IOException {
    return hcm.getHttpFilters(0).getTypedConfig().unpack(ExtAuthz.class);
  }

  @Test
  void everyEnvoyYamlParsesStrictlyIntoBootstrap() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("envoy"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains("envoy.yaml", "envoy-http-service.yaml");
    for (Path file : files) {
      Bootstrap b = EnvoyConfigs.parse(Files.readString(file));
      assertThat(b.getStaticResources().getListenersCount()).as(file.toString()).isPositive();
      assertThat(hcm(b).getHttpFiltersList())
          .extracting(f -> f.getName())
          .as("ext_authz runs before the router in " + file)
          .containsExactly(EXT_AUTHZ, "envoy.filters.http.router");
    }
  }

  @Test
  void misspeltFieldsAreRejected() throws IOException {
    String yaml = Files.readString(Path.of("envoy", "envoy.yaml"));
    List<String> broken =
        List.of(
            yaml.replace("merge_slashes:", "merge_slashs:"),
            yaml.replace("failure_mode_allow:", "failure_mode_alow:"),
            yaml.replace("static_resources:", "static_resource:"),
            yaml.replace("v3.ExtAuthzPerRoute", "v3.ExtAuthzPerRout"));
    for (String b : broken) {
      assertThat(b).isNotEqualTo(yaml);
      assertThatThrownBy(() -> EnvoyConfigs.parse(b))
          .isInstanceOf(InvalidProtocolBufferException.class);
    }
  }

  @Test
  void connectionManagerNormalisesPathsAndRejectsAmbiguousOnes() throws IOException {
    for (String name : List.of("envoy.yaml", "envoy-http-service.yaml")) {
      HttpConnectionManager hcm = hcm(load(name));
      assertThat(hcm.getNormalizePath().getValue()).as(name).isTrue();
      assertThat(hcm.getMergeSlashes()).as(name).isTrue();
      assertThat(hcm.getPathWithEscapedSlashesAction())
          .isEqualTo(HttpConnectionManager.PathWithEscapedSlashesAction.REJECT_REQUEST);
      assertThat(hcm.getCommonHttpProtocolOptions().getHeadersWithUnderscoresAction())
          .isEqualTo(
              io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.HeadersWithUnderscoresAction
                  .REJECT_REQUEST);
    }
  }

  @Test
  void grpcExtAuthzFailsClosed() throws IOException {
    ExtAuthz authz = extAuthz(hcm(load("envoy.yaml")));
    assertThat(authz.getTransportApiVersion()).isEqualTo(ApiVersion.V3);
    assertThat(authz.getGrpcService().getEnvoyGrpc().getClusterName()).isEqualTo("better-authz");
    assertThat(authz.getGrpcService().hasTimeout()).isTrue();
    assertThat(authz.getFailureModeAllow()).isFalse();
    assertThat(authz.getStatusOnError().getCodeValue()).isEqualTo(503);
    assertThat(authz.getClearRouteCache()).isFalse();
    assertThat(authz.getAllowedHeaders().getPatternsList())
        .extracting(EnvoyConfigTest::describe)
        .contains("exact:authorization", "exact:cookie", "exact:x-org-id", "prefix:x-auth-");
  }

  @Test
  void perRouteSettingsDisableHealthAndNameThePolicyRoute() throws IOException {
    VirtualHost vhost = hcm(load("envoy.yaml")).getRouteConfig().getVirtualHosts(0);
    Route health = vhost.getRoutes(0);
    assertThat(health.getMatch().getPath()).isEqualTo("/gateway/healthz");
    assertThat(perRoute(health).getDisabled()).isTrue();
    Route approve = vhost.getRoutes(1);
    assertThat(perRoute(approve).getCheckSettings().getContextExtensionsMap())
        .containsEntry("route", "approve-leave");
    Route last = vhost.getRoutes(vhost.getRoutesCount() - 1);
    assertThat(last.getMatch().getPrefix()).isEqualTo("/");
    assertThat(last.getTypedPerFilterConfigMap()).as("catch-all is checked").isEmpty();
  }

  private static ExtAuthzPerRoute perRoute(Route route) throws IOException {
    return route.getTypedPerFilterConfigOrThrow(EXT_AUTHZ).unpack(ExtAuthzPerRoute.class);
  }

  @Test
  void authzClusterSpeaksHttp2WithGrpcHealthChecks() throws IOException {
    Cluster cluster = cluster(load("envoy.yaml"), "better-authz");
    HttpProtocolOptions options =
        cluster
            .getTypedExtensionProtocolOptionsOrThrow(
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
            .unpack(HttpProtocolOptions.class);
    assertThat(options.getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    assertThat(cluster.getHealthChecks(0).getGrpcHealthCheck().getServiceName())
        .isEqualTo("envoy.service.auth.v3.Authorization");
    assertThat(
            cluster
                .getLoadAssignment()
                .getEndpoints(0)
                .getLbEndpoints(0)
                .getEndpoint()
                .getAddress()
                .getSocketAddress()
                .getPortValue())
        .isEqualTo(9191);
  }

  @Test
  void everyRouteTargetsADefinedCluster() throws IOException {
    for (String name : List.of("envoy.yaml", "envoy-http-service.yaml")) {
      Bootstrap b = load(name);
      Set<String> clusters =
          b.getStaticResources().getClustersList().stream()
              .map(Cluster::getName)
              .collect(Collectors.toSet());
      for (Route r : hcm(b).getRouteConfig().getVirtualHosts(0).getRoutesList()) {
        if (r.hasRoute()) {
          assertThat(clusters).as(name).contains(r.getRoute().getCluster());
        }
      }
    }
  }

  @Test
  void accessLogCarriesTheDecisionMetadata() throws IOException {
    StdoutAccessLog log =
        hcm(load("envoy.yaml")).getAccessLog(0).getTypedConfig().unpack(StdoutAccessLog.class);
    String format = log.getLogFormat().getJsonFormat().toString();
    for (String key : List.of("user_id", "org_id", "org_role", "route", "decision_id")) {
      assertThat(format).contains("%DYNAMIC_METADATA(envoy.filters.http.ext_authz:" + key + ")%");
    }
  }

  @Test
  void httpServiceModeUsesTheCheckPrefixAndPassesIdentityHeaders() throws IOException {
    Bootstrap b = load("envoy-http-service.yaml");
    ExtAuthz authz = extAuthz(hcm(b));
    assertThat(authz.getFailureModeAllow()).isFalse();
    assertThat(authz.getStatusOnError().getCodeValue()).isEqualTo(503);
    assertThat(authz.getHttpService().getPathPrefix()).isEqualTo("/check");
    assertThat(
            authz
                .getHttpService()
                .getAuthorizationResponse()
                .getAllowedUpstreamHeaders()
                .getPatternsList())
        .extracting(EnvoyConfigTest::describe)
        .containsExactly("prefix:x-auth-");
    assertThat(
            authz
                .getHttpService()
                .getAuthorizationResponse()
                .getAllowedClientHeaders()
                .getPatternsList())
        .extracting(EnvoyConfigTest::describe)
        .contains("exact:www-authenticate", "exact:retry-after");
    assertThat(authz.getAllowedHeaders().getPatternsList())
        .extracting(EnvoyConfigTest::describe)
        .contains("exact:authorization", "prefix:x-auth-");
    String cluster = authz.getHttpService().getServerUri().getCluster();
    assertThat(
            cluster(b, cluster)
                .getLoadAssignment()
                .getEndpoints(0)
                .getLbEndpoints(0)
                .getEndpoint()
                .getAddress()
                .getSocketAddress()
                .getPortValue())
        .isEqualTo(8181);
  }

  private static Cluster cluster(Bootstrap b, String name) {
    return b.getStaticResources().getClustersList().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no cluster " + name));
  }

  private static String describe(StringMatcher m) {
    return switch (m.getMatchPatternCase()) {
      case EXACT -> "exact:" + m.getExact();
      case PREFIX -> "prefix:" + m.getPrefix();
      default -> m.getMatchPatternCase().name();
    };
  }
}
