package dev.hubert.server;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The reference's text handling of request bodies, reproduced exactly: Rust's strict UTF-8
 * decoding, {@code str::lines}, {@code str::trim} and {@code u64::from_str}.
 */
final class WireText {
  private WireText() {}

  /** Strict UTF-8 (no replacement characters), or {@code null} if the bytes are not UTF-8. */
  static String decodeUtf8(byte[] body) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Rust {@code str::lines} of the reference's toolchain (edition 2024: Rust 1.85 or later): split
   * at {@code \n}, drop one {@code \r} right before a {@code \n}, and no final empty line after a
   * trailing newline. A bare {@code \r} at the very end stays in the last line (older Rust dropped
   * it; rust-lang/rust#100311), so {@code "a\nb\r"} is {@code ["a", "b\r"]}.
   */
  static List<String> lines(String s) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < s.length()) {
      int nl = s.indexOf('\n', start);
      int end = nl < 0 ? s.length() : nl;
      int stop = nl > start && s.charAt(nl - 1) == '\r' ? nl - 1 : end;
      out.add(s.substring(start, stop));
      if (nl < 0) {
        break;
      }
      start = nl + 1;
    }
    return out;
  }

  /** Rust {@code str::trim}: strips Unicode White_Space from both ends. */
  static String trim(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && isRustWhitespace(s.charAt(b))) {
      b++;
    }
    while (e > b && isRustWhitespace(s.charAt(e - 1))) {
      e--;
    }
    return s.substring(b, e);
  }

  /** The Unicode White_Space property (all of it lies in the BMP). */
  static boolean isRustWhitespace(char c) {
    return (c >= '\t' && c <= '\r')
        || c == ' '
        || c == '\u0085'
        || c == '\u00a0'
        || c == '\u1680'
        || (c >= '\u2000' && c <= '\u200a')
        || c == '\u2028'
        || c == '\u2029'
        || c == '\u202f'
        || c == '\u205f'
        || c == '\u3000';
  }

  /**
   * Rust {@code u64::from_str}: an optional {@code +}, then one or more ASCII digits, at most
   * 2^64-1. Returns the value's bits (unsigned), or empty if not a u64.
   */
  static OptionalLong parseU64(String s) {
    int i = s.startsWith("+") ? 1 : 0;
    if (i == s.length()) {
      return OptionalLong.empty();
    }
    long value = 0;
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      int d = c - '0';
      // value * 10 + d must stay <= 2^64-1 (unsigned)
      if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, 10)) > 0) {
        return OptionalLong.empty();
      }
      value = value * 10 + d;
    }
    return OptionalLong.of(value);
  }
}
