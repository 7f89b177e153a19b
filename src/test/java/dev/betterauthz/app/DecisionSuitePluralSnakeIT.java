package dev.betterauthz.app;

import dev.betterauthz.config.AppConfig.SchemaNaming;

/** The decision suite on the plural, snake_case schema (users, members, user_id…). */
class DecisionSuitePluralSnakeIT extends DecisionSuite {
  DecisionSuitePluralSnakeIT() {
    super(SchemaNaming.PLURAL_SNAKE);
  }
}
