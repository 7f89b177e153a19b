package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig.SchemaNaming;

/** The decision suite on Better Auth's own default naming ("user", "member", "userId"…). */
class DecisionSuiteBetterAuthDefaultIT extends DecisionSuite {
  DecisionSuiteBetterAuthDefaultIT() {
    super(SchemaNaming.BETTER_AUTH_DEFAULT);
  }
}
