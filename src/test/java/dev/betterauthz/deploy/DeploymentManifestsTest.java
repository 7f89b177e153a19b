package dev.betterauthz.deploy;

import static dev.betterauthz.deploy.YamlDocs.list;
import static dev.betterauthz.deploy.YamlDocs.map;
import static dev.betterauthz.deploy.YamlDocs.str;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DeploymentManifestsTest {
  private static Map<String, Map<String, Object>> k8s;

  @BeforeAll
  static void load() throws IOException {
    k8s =
        YamlDocs.loadAll(Path.of("deploy/kubernetes/better-authz.yaml")).stream()
            .collect(Collectors.toMap(d -> str(d, "kind"), d -> d));
  }

  private static Map<String, Object> container() {
    return YamlDocs.asMap(list(k8s.get("Deployment"), "spec.template.spec.containers").get(0));
  }

  @Test
  void kubernetesFileHoldsTheExpectedKinds() {
    assertThat(k8s).containsOnlyKeys("ConfigMap", "Deployment", "Service", "PodDisruptionBudget");
    assertThat(str(k8s.get("Deployment"), "apiVersion")).isEqualTo("apps/v1");
    assertThat(str(k8s.get("PodDisruptionBudget"), "apiVersion")).isEqualTo("policy/v1");
  }

  @Test
  void selectorsMatchThePodLabels() {
    Map<String, Object> labels = map(k8s.get("Deployment"), "spec.template.metadata.labels");
    assertThat(labels).containsAllEntriesOf(map(k8s.get("Service"), "spec.selector"));
    assertThat(labels)
        .containsAllEntriesOf(map(k8s.get("Deployment"), "spec.selector.matchLabels"));
    assertThat(labels)
        .containsAllEntriesOf(map(k8s.get("PodDisruptionBudget"), "spec.selector.matchLabels"));
  }

  @Test
  void probesUseTheHttpPort() {
    Map<String, Object> c = container();
    assertThat(str(c, "readinessProbe.httpGet.path")).isEqualTo("/readyz");
    assertThat(str(c, "livenessProbe.httpGet.path")).isEqualTo("/healthz");
    String probePort = str(c, "readinessProbe.httpGet.port");
    assertThat(list(c, "ports"))
        .anySatisfy(
            p -> {
              assertThat(str(p, "name")).isEqualTo(probePort);
              assertThat(str(p, "containerPort")).isEqualTo("8181");
            });
  }

  @Test
  void serviceExposesGrpcAndHttpOnContainerPorts() {
    List<Object> ports = list(k8s.get("Service"), "spec.ports");
    assertThat(ports).extracting(p -> str(p, "port")).containsExactlyInAnyOrder("9191", "8181");
    List<String> containerPorts =
        list(container(), "ports").stream().map(p -> str(p, "name")).toList();
    assertThat(ports).allSatisfy(p -> assertThat(containerPorts).contains(str(p, "targetPort")));
    assertThat(ports).anySatisfy(p -> assertThat(str(p, "appProtocol")).isEqualTo("grpc"));
  }

  @Test
  void policyConfigMapIsMountedWhereThePolicyFileIs() {
    Map<String, Object> spec = map(k8s.get("Deployment"), "spec.template.spec");
    String configMap = str(k8s.get("ConfigMap"), "metadata.name");
    String volume =
        list(spec, "volumes").stream()
            .filter(v -> YamlDocs.asMap(v).containsKey("configMap"))
            .filter(v -> str(v, "configMap.name").equals(configMap))
            .map(v -> str(v, "name"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("ConfigMap " + configMap + " not used"));
    String mountPath =
        list(container(), "volumeMounts").stream()
            .filter(m -> str(m, "name").equals(volume))
            .map(m -> str(m, "mountPath"))
            .findFirst()
            .orElseThrow();
    String policyFile =
        list(container(), "env").stream()
            .filter(e -> str(e, "name").equals("AUTHZ_POLICY_FILE"))
            .map(e -> str(e, "value"))
            .findFirst()
            .orElseThrow();
    String key = policyFile.substring(mountPath.length() + 1);
    assertThat(policyFile).startsWith(mountPath + "/");
    assertThat(map(k8s.get("ConfigMap"), "data")).containsKey(key);
  }

  @Test
  void runsNonRootOnAReadOnlyRootWithLimits() {
    Map<String, Object> c = container();
    assertThat(at(c, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    assertThat(at(c, "securityContext.runAsNonRoot")).isEqualTo(true);
    assertThat(at(c, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
    assertThat(list(c, "securityContext.capabilities.drop")).containsExactly("ALL");
    assertThat(map(c, "resources.requests")).containsKeys("cpu", "memory");
    assertThat(map(c, "resources.limits")).containsKeys("cpu", "memory");
    assertThat(str(k8s.get("Deployment"), "spec.template.spec.securityContext.runAsUser"))
        .isNotEqualTo("0");
  }

  @Test
  void istioProviderAndCustomPolicyReferToEachOther() throws IOException {
    Map<String, Object> mesh = YamlDocs.load(Path.of("deploy/istio/mesh-config.yaml"));
    Map<String, Object> policy = YamlDocs.load(Path.of("deploy/istio/authorization-policy.yaml"));
    Map<String, Object> provider =
        YamlDocs.asMap(list(mesh, "spec.meshConfig.extensionProviders").get(0));
    assertThat(str(policy, "kind")).isEqualTo("AuthorizationPolicy");
    assertThat(str(policy, "spec.action")).isEqualTo("CUSTOM");
    assertThat(str(policy, "spec.provider.name")).isEqualTo(str(provider, "name"));
    assertThat(str(provider, "envoyExtAuthzGrpc.port")).isEqualTo("9191");
    assertThat(str(provider, "envoyExtAuthzGrpc.service"))
        .startsWith(str(k8s.get("Service"), "metadata.name") + ".");
    assertThat(at(provider, "envoyExtAuthzGrpc.failOpen")).isEqualTo(false);
    assertThat(str(provider, "envoyExtAuthzGrpc.timeout")).isNotBlank();
  }

  @Test
  void envoyGatewaySecurityPolicyUsesGrpcAndAGrantedService() throws IOException {
    Map<String, Map<String, Object>> docs =
        YamlDocs.loadAll(Path.of("deploy/envoy-gateway/security-policy.yaml")).stream()
            .collect(Collectors.toMap(d -> str(d, "kind"), d -> d));
    Map<String, Object> policy = docs.get("SecurityPolicy");
    Map<String, Object> backend =
        YamlDocs.asMap(list(policy, "spec.extAuth.grpc.backendRefs").get(0));
    assertThat(str(backend, "name")).isEqualTo(str(k8s.get("Service"), "metadata.name"));
    assertThat(str(backend, "port")).isEqualTo("9191");
    assertThat(at(policy, "spec.extAuth.failOpen")).isEqualTo(false);
    Map<String, Object> grant = docs.get("ReferenceGrant");
    assertThat(str(grant, "metadata.namespace")).isEqualTo(str(backend, "namespace"));
    assertThat(str(grant, "spec.from.0.namespace")).isEqualTo(str(policy, "metadata.namespace"));
    assertThat(str(grant, "spec.to.0.name")).isEqualTo(str(backend, "name"));
  }

  @Test
  void traefikForwardAuthCallsCheckAndCopiesTheIdentityHeaders() throws IOException {
    Map<String, Object> traefik = YamlDocs.load(Path.of("deploy/traefik/dynamic.yaml"));
    Map<String, Object> fa = map(traefik, "http.middlewares.better-authz.forwardAuth");
    assertThat(str(fa, "address")).endsWith(":8181/check");
    assertThat(list(fa, "authResponseHeaders"))
        .containsExactlyInAnyOrder(
            "X-Auth-User-Id",
            "X-Auth-Org-Id",
            "X-Auth-Org-Role",
            "X-Auth-Platform-Role",
            "X-Auth-Decision-Id");
    assertThat(list(traefik, "http.routers.app.middlewares"))
        .containsExactly("strip-identity", "better-authz");
  }

  private static Object at(Object root, String path) {
    return YamlDocs.at(root, path);
  }
}
