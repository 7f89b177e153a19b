package dev.betterauthz.token;

import dev.betterauthz.decision.DenyReason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

/**
 * A compact JWS split strictly into its three base64url parts, with its protected header parsed.
 * The payload is decoded only after the signature is verified ({@link #payloadJson()}).
 *
 * @param compact the token as received
 * @param header the protected header, a JSON object
 * @param signingInput the ASCII bytes of {@code header.payload}
 * @param signature the decoded signature
 */
record CompactJws(
    String compact, Map<String, Object> header, byte[] signingInput, byte[] signature) {

  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9_-]*");
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /**
   * Parses the token. The size limit is checked first, before any other work.
   *
   * @throws TokenRejection {@code MALFORMED_TOKEN} for anything but a 3-part compact JWS with
   *     base64url parts and a JSON-object header
   */
  static CompactJws parse(String token, int maxBytes) throws TokenRejection {
    // NOTE: the token is ASCII when valid, so its length is its size in bytes; a longer string is
    // refused without encoding it.
    if (token.length() > maxBytes) {
      throw malformed("token larger than " + maxBytes + " bytes");
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0) {
      throw malformed("not a compact JWS of three parts");
    }
    String header = token.substring(0, first);
    String payload = token.substring(first + 1, second);
    String signature = token.substring(second + 1);
    // An empty signature is left to the algorithm checks: "none" is refused as an algorithm.
    if (!isBase64Url(header) || !isBase64Url(payload) || !SIGNATURE.matcher(signature).matches()) {
      throw malformed("header or payload empty, or a part not base64url");
    }
    return new CompactJws(
        token,
        parseObject(text(header), "header"),
        token.substring(0, second).getBytes(StandardCharsets.US_ASCII),
        bytes(signature));
  }

  /** The {@code kid} header, if present. */
  Optional<String> kid() throws TokenRejection {
    Object kid = header.get("kid");
    if (kid == null) {
      return Optional.empty();
    }
    if (!(kid instanceof String s) || s.isEmpty()) {
      throw malformed("kid is not a non-empty string");
    }
    return Optional.of(s);
  }

  /** The payload as JSON text; call only after the signature is verified. */
  String payloadJson() throws TokenRejection {
    int first = compact.indexOf('.');
    int second = compact.indexOf('.', first + 1);
    return text(compact.substring(first + 1, second));
  }

  private static boolean isBase64Url(String part) {
    return BASE64URL.matcher(part).matches();
  }

  private static String text(String part) throws TokenRejection {
    return new String(bytes(part), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String part) throws TokenRejection {
    try {
      return DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      throw malformed("bad base64url");
    }
  }

  private static Map<String, Object> parseObject(String json, String what) throws TokenRejection {
    try {
      Map<String, Object> map = JsonUtil.parseJson(json);
      if (map == null) {
        throw malformed(what + " is not a JSON object");
      }
      return map;
    } catch (JoseException | RuntimeException e) {
      throw malformed(what + " is not a JSON object");
    }
  }

  static TokenRejection malformed(String detail) {
    return new TokenRejection(DenyReason.MALFORMED_TOKEN, detail);
  }
}
