package io.coffer.guest.logs;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks the secrets a database log line may hold before it is published. */
final class SecretMask {

  private static final String MASK = "******";
  private static final List<Pattern> QUOTED =
      List.of(
          // PASSWORD 'x', PASSWORD = 'x', PASSWORD('x'), ENCRYPTED PASSWORD 'x'
          Pattern.compile("(?i)(PASSWORD\\s*(?:=\\s*)?(?:\\(\\s*)?)('(?:[^'\\\\]|''|\\\\.)*')"),
          // IDENTIFIED BY 'x', IDENTIFIED WITH plugin BY|AS 'x', IDENTIFIED BY PASSWORD 'hash'
          Pattern.compile(
              "(?i)(IDENTIFIED\\s+(?:WITH\\s+\\S+\\s+)?(?:BY|AS|USING)\\s+(?:PASSWORD\\s+)?)"
                  + "('(?:[^'\\\\]|''|\\\\.)*')"),
          // MASTER_PASSWORD = 'x' (replication)
          Pattern.compile("(?i)(MASTER_PASSWORD\\s*=\\s*)('(?:[^'\\\\]|''|\\\\.)*')"));
  // password=x in connection strings and URIs, user:password@host
  private static final Pattern KEYWORD = Pattern.compile("(?i)(password\\s*=\\s*)([^\\s'\";&]+)");
  private static final Pattern USERINFO = Pattern.compile("(://[^/:@\\s]+:)([^@\\s]+)(@)");

  private SecretMask() {}

  static String mask(String line) {
    String out = line;
    for (Pattern p : QUOTED) {
      Matcher m = p.matcher(out);
      out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "'" + MASK + "'"));
    }
    out = KEYWORD.matcher(out).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
    out =
        USERINFO
            .matcher(out)
            .replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK + r.group(3)));
    return out;
  }
}
