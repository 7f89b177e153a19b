-- DEMO ONLY. The public half of the Ed25519 key that signed the tokens in
-- deploy/compose/demo-tokens.env, stored as Better Auth's jwt plugin stores its keys (the row id is
-- the kid). better-authz reads it with AUTHZ_JWKS_URL=db. The private half was discarded when the
-- tokens were minted (DemoIssuer), so no new token can ever be signed with it. Never load this
-- file into a real Better Auth database.
INSERT INTO public.jwks (id, public_key, private_key, created_at, expires_at, alg, crv) VALUES
  ('demo-only-compose-key',
   '{"kty":"OKP","crv":"Ed25519","x":"1atQWEIaxXxslep0oArbdJ3gY5kqhBrNN94GLtmhqCE"}',
   'demo-only: private key discarded',
   now(), NULL, 'EdDSA', 'Ed25519');
