# The tour scripts/demo.sh runs once the stack is up (sourced by it: uses GATEWAY, TOKENS, LOGS, DB,
# FAILURES, ROOT and pg). Every request goes through nginx, as a client's would.

# Routes of deploy/compose/policy.yaml: /api/orgs/{org}/... names the organization by its id (as
# Better Auth's API does), /o/{org}/... by its slug.
APPROVE=/api/orgs/org-acme/leave/7/approve
LEAVE=/api/orgs/org-acme/leave
BY_SLUG=/o/acme/leave

# request USER METHOD PATH [curl args...]: sets STATUS and BODY. USER "nobody" sends no token,
# "forged" sends alice's token with its signature altered.
request() {
  local user=$1 method=$2 path=$3 auth=()
  shift 3
  case "$user" in
    nobody) ;;
    forged) auth=(-H "Authorization: Bearer $(forge "$(cat "$TOKENS/u-alice.jwt")")") ;;
    *) auth=(-H "Authorization: Bearer $(cat "$TOKENS/u-$user.jwt")") ;;
  esac
  local out
  out=$(curl -sS -X "$method" "${auth[@]}" "$@" -w '\n%{http_code}' "$GATEWAY$path")
  STATUS=${out##*$'\n'}
  BODY=${out%$'\n'*}
}

# The token with one character in the middle of its signature changed.
forge() {
  local head=${1%.*} sig=${1##*.} swap=A
  [ "${sig:20:1}" = A ] && swap=B
  printf '%s.%s%s%s' "$head" "${sig:0:20}" "$swap" "${sig:21}"
}

json_field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" <<<"$2"; }

# What the answer was: for an allow, the identity the upstream received; for a deny, the reason
# from better-authz's decision log (nginx's deny body carries only the decision id).
explain() {
  local decision
  decision=$(json_field decision_id "$BODY")
  if [ "$STATUS" = 200 ]; then
    printf 'upstream saw user=%s org=%s org_role=%s platform_role=%s' \
      "$(json_field user_id "$BODY")" "$(json_field org_id "$BODY")" \
      "$(json_field org_role "$BODY")" "$(json_field platform_role "$BODY")"
  else
    local reason=""
    [ -n "$decision" ] && reason=$(grep -F "$decision" "$LOGS/better-authz.log" \
      | grep -o 'reason[=":]*[a-z_]*' | head -n 1 | sed 's/reason[=":]*//')
    printf 'denied, reason=%s' "${reason:-?}"
  fi
}

# expect STATUS WHO WHAT USER METHOD PATH [curl args...]
expect() {
  local want=$1 who=$2 what=$3
  shift 3
  request "$@"
  local mark=ok
  if [ "$STATUS" != "$want" ]; then
    mark="UNEXPECTED (wanted $want)"
    FAILURES=$((FAILURES + 1))
  fi
  printf '  %-29s %-42s -> %s  %s  [%s]\n' "$who" "$what" "$STATUS" "$(explain)" "$mark"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

run_tour() {
  step "Who may approve leave in acme (id org-acme)?  POST $APPROVE  (needs leave:approve)"
  expect 200 "alice (owner)" "POST $APPROVE" alice POST "$APPROVE"
  expect 200 "bob (staff)" "POST $APPROVE" bob POST "$APPROVE"
  expect 403 "carol (viewer)" "POST $APPROVE" carol POST "$APPROVE"
  expect 403 "dave (staff, banned)" "POST $APPROVE" dave POST "$APPROVE"
  expect 403 "erin (not a member)" "POST $APPROVE" erin POST "$APPROVE"
  expect 200 "root (platform admin)" "POST $APPROVE" root POST "$APPROVE"
  expect 401 "no token" "POST $APPROVE" nobody POST "$APPROVE"
  expect 401 "forged signature" "POST $APPROVE" forged POST "$APPROVE"

  step "Reading is enough for a viewer; any valid token may read /api/me"
  expect 200 "carol (viewer)" "GET $LEAVE" carol GET "$LEAVE"
  expect 200 "carol (viewer), org by slug" "GET $BY_SLUG" carol GET "$BY_SLUG"
  expect 200 "erin (not a member)" "GET /api/me" erin GET /api/me

  step "Spoofing: identity and forwarded headers sent by the client change nothing"
  expect 200 "alice claiming to be root" "GET $LEAVE + X-Auth-User-Id: u-root" alice GET "$LEAVE" \
    -H "X-Auth-User-Id: u-root" -H "X-Auth-Platform-Role: admin" -H "x_auth_user_id: u-root"
  expect 403 "erin claiming to be root" "POST $APPROVE + X-Auth-User-Id: u-root" erin POST "$APPROVE" \
    -H "X-Auth-User-Id: u-root" -H "X-Auth-Org-Role: owner"
  expect 403 "erin pointing the check away" "POST $APPROVE + X-Forwarded-Uri: /healthz" erin POST \
    "$APPROVE" -H "X-Forwarded-Uri: /healthz" -H "X-Original-URI: /healthz"

  step "Live role change: Better Auth makes bob a viewer and publishes member.role.changed"
  pg -d "$DB" -c "UPDATE public.members SET role = 'viewer'
                  WHERE user_id = 'u-bob' AND organization_id = 'org-acme'"
  request bob POST "$APPROVE"
  say "  row updated, no event yet: bob -> $STATUS (his role is still cached: this is why events matter)"
  local start end tries=0
  start=$(now_ms)
  bash "$ROOT/demo/nats-pub.sh" member.role.changed '{"userId":"u-bob","organizationId":"org-acme"}'
  for _ in $(seq 1 200); do
    request bob POST "$APPROVE"
    tries=$((tries + 1))
    [ "$STATUS" = 403 ] && break
  done
  end=$(now_ms)
  expect 403 "bob (now viewer)" "POST $APPROVE" bob POST "$APPROVE"
  say "  bob was denied $((end - start)) ms after the event was published (request #$tries after it;"
  say "  measured by this script through nginx, curl start-up included)"
}

print_curl_lines() {
  local bearer="Authorization: Bearer \$(cat $TOKENS"
  say "Tokens (demo-only, 12 h) are in $TOKENS; the gateway is $GATEWAY."
  say ""
  say "  curl -i -X POST -H \"$bearer/u-alice.jwt)\" $GATEWAY$APPROVE"
  say "  curl -i -X POST -H \"$bearer/u-carol.jwt)\" $GATEWAY$APPROVE"
  say "  curl -i -H \"$bearer/u-carol.jwt)\" $GATEWAY$LEAVE"
  say "  curl -i -H \"$bearer/u-carol.jwt)\" $GATEWAY$BY_SLUG"
  say "  curl -i -H \"$bearer/u-erin.jwt)\" $GATEWAY/api/me"
  say "  curl -i $GATEWAY$LEAVE"
  say ""
  say "Make bob staff again (the row change, then the event Better Auth would publish):"
  say "  psql -h 127.0.0.1 -U postgres -d $DB -c \"UPDATE members SET role = 'staff' WHERE user_id = 'u-bob'\""
  say "  bash $ROOT/demo/nats-pub.sh member.role.changed '{\"userId\":\"u-bob\",\"organizationId\":\"org-acme\"}'"
  say ""
  say "Ask better-authz directly (what nginx's auth_request does), or trace a decision:"
  say "  curl -i -H \"X-Original-Method: POST\" -H \"X-Original-URI: $APPROVE\" -H \"$bearer/u-bob.jwt)\" http://127.0.0.1:$HTTP_PORT/check"
  say "  curl -s http://127.0.0.1:$HTTP_PORT/metrics | grep ^authz_"
}
