package dev.betterauthz.bench;

import io.envoyproxy.envoy.service.auth.v3.CheckRequest;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Builds each scenario's requests ahead of the run (so the generator spends no time minting or
 * encoding) and hands them out: uniformly from the hot set, or Zipf-skewed over every user. Valid
 * tokens are minted once per user and reused across scenarios. Thread-safe.
 */
final class RequestPool {
  private static final double ZIPF_EXPONENT = 1.0;

  private final TokenMinter minter;
  private final IntFunction<BenchData.Member> members;
  private final ConcurrentHashMap<Integer, String> validTokens = new ConcurrentHashMap<>();

  RequestPool(TokenMinter minter, IntFunction<BenchData.Member> members) {
    this.minter = minter;
    this.members = members;
  }

  /** The request supplier of {@code scenario} over {@code hotUsers} or {@code allUsers} users. */
  Supplier<CheckRequest> requests(Scenario scenario, int hotUsers, int allUsers) {
    int count = scenario.users() == Scenario.Users.HOT ? hotUsers : allUsers;
    CheckRequest[] requests =
        IntStream.range(0, count)
            .parallel()
            .mapToObj(i -> request(scenario, i))
            .toArray(CheckRequest[]::new);
    if (scenario.users() == Scenario.Users.HOT) {
      return () -> requests[ThreadLocalRandom.current().nextInt(requests.length)];
    }
    ZipfSampler zipf = new ZipfSampler(requests.length, ZIPF_EXPONENT);
    return () -> requests[zipf.next()];
  }

  /** The user picked by the Zipf distribution over {@code allUsers} (for role changes). */
  static IntSupplier zipfUsers(int allUsers) {
    ZipfSampler zipf = new ZipfSampler(allUsers, ZIPF_EXPONENT);
    return zipf::next;
  }

  private CheckRequest request(Scenario scenario, int index) {
    BenchData.Member member = members.apply(index);
    String resource = scenario.path() == Scenario.Path.CLAIMS ? "/leave" : "/projects";
    String path = "/api/orgs/" + member.organizationId() + resource + "?page=1";
    return EnvoyRequests.get(path, Optional.of(token(scenario, index, member)), "bench-" + index);
  }

  private String token(Scenario scenario, int index, BenchData.Member member) {
    switch (scenario.tokens()) {
      case BAD_SIGNATURE:
        return TokenMinter.corruptSignature(valid(index, member));
      case UNKNOWN_KID:
        return minter.mintWithUnknownKid(member.userId(), member.organizationId(), member.role());
      default:
        return valid(index, member);
    }
  }

  private String valid(int index, BenchData.Member member) {
    return validTokens.computeIfAbsent(
        index, i -> minter.mint(member.userId(), member.organizationId(), member.role()));
  }
}
