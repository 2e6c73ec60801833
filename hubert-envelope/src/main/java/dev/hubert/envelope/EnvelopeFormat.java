package dev.hubert.envelope;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Envelope notation, ported from bc-envelope's {@code format/notation.rs}: envelopes become a tree
 * of items (begin/end delimiters, text, separators, lists) that is laid out hierarchically or flat.
 */
final class EnvelopeFormat {
  private EnvelopeFormat() {}

  /** One element of the notation; ordering is Rust's derived order (kind, then content). */
  private static final class Item implements Comparable<Item> {
    static final int BEGIN = 1;
    static final int END = 2;
    static final int TEXT = 3;
    static final int SEPARATOR = 4;
    static final int LIST = 5;

    final int kind;
    final String text;
    final List<Item> list;

    private Item(int kind, String text, List<Item> list) {
      this.kind = kind;
      this.text = text;
      this.list = list;
    }

    static Item begin(String s) {
      return new Item(BEGIN, s, null);
    }

    static Item end(String s) {
      return new Item(END, s, null);
    }

    static Item text(String s) {
      return new Item(TEXT, s, null);
    }

    static Item separator() {
      return new Item(SEPARATOR, "", null);
    }

    static Item list(List<Item> items) {
      return new Item(LIST, "", items);
    }

    @Override
    public int compareTo(Item o) {
      if (kind != o.kind) {
        return Integer.compare(kind, o.kind);
      }
      return kind == LIST ? compareLists(list, o.list) : compareUtf8(text, o.text);
    }

    void flattenInto(List<Item> out) {
      if (kind == LIST) {
        for (Item i : list) {
          i.flattenInto(out);
        }
      } else {
        out.add(this);
      }
    }
  }

  /** Rust {@code Vec} order: element by element, then the shorter first. */
  private static int compareLists(List<Item> a, List<Item> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** Rust {@code String} order: by UTF-8 bytes, which is the order of code points. */
  static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  static String format(Envelope e, boolean flat) {
    Item item = item(e);
    List<Item> items = new ArrayList<>();
    item.flattenInto(items);
    return (flat ? flat(items) : hierarchical(nicen(items))).strip();
  }

  // ---------------------------------------------------------------- items

  private static Item item(Envelope e) {
    switch (e.envelopeCase()) {
      case LEAF:
        return cborItem(e.leafCbor());
      case WRAPPED:
        return Item.list(List.of(Item.begin("{"), item(e.first()), Item.end("}")));
      case ASSERTION:
        return Item.list(List.of(item(e.first()), Item.text(": "), item(e.second())));
      case KNOWN_VALUE:
        return Item.text(e.knownValueCase().toString());
      case ENCRYPTED:
        return Item.text("ENCRYPTED");
      case COMPRESSED:
        return Item.text("COMPRESSED");
      case ELIDED:
        return Item.text("ELIDED");
      default:
        return nodeItem(e);
    }
  }

  private static Item cborItem(Cbor cbor) {
    if (cbor.isTagged(Envelope.TAG)) {
      try {
        return item(Envelope.fromUntaggedCbor(cbor.tagContent()));
      } catch (DecodeException e) {
        return Item.text("<error>");
      }
    }
    return Item.text(summary(cbor));
  }

  private static Item nodeItem(Envelope e) {
    int elided = 0;
    int encrypted = 0;
    int compressed = 0;
    List<Item> typeItems = new ArrayList<>();
    List<Item> others = new ArrayList<>();
    for (Envelope a : e.assertions()) {
      switch (a.envelopeCase()) {
        case ELIDED:
          elided++;
          break;
        case ENCRYPTED:
          encrypted++;
          break;
        case COMPRESSED:
          compressed++;
          break;
        default:
          (isTypeAssertion(a) ? typeItems : others).add(item(a));
      }
    }
    typeItems.sort(null);
    others.sort(null);
    List<Item> lines = new ArrayList<>(typeItems);
    lines.addAll(others);
    addCount(lines, "COMPRESSED", compressed);
    addCount(lines, "ELIDED", elided);
    addCount(lines, "ENCRYPTED", encrypted);

    List<Item> items = new ArrayList<>();
    boolean braces = e.first().isSubjectAssertion();
    if (braces) {
      items.add(Item.begin("{"));
    }
    items.add(item(e.first()));
    if (braces) {
      items.add(Item.end("}"));
    }
    items.add(Item.begin("["));
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        items.add(Item.separator());
      }
      items.add(lines.get(i));
    }
    items.add(Item.end("]"));
    return Item.list(items);
  }

  private static boolean isTypeAssertion(Envelope a) {
    if (!a.isSubjectAssertion()) {
      return false;
    }
    Envelope predicate = a.predicate().subject();
    return predicate.envelopeCase() == Envelope.Case.KNOWN_VALUE
        && predicate.knownValueCase().equals(KnownValue.IS_A);
  }

  private static void addCount(List<Item> lines, String what, int count) {
    if (count > 1) {
      lines.add(Item.text(what + " (" + count + ")"));
    } else if (count > 0) {
      lines.add(Item.text(what));
    }
  }

  // ---------------------------------------------------------------- layout

  private static List<Item> nicen(List<Item> input) {
    List<Item> result = new ArrayList<>();
    for (int i = 0; i < input.size(); i++) {
      Item current = input.get(i);
      if (current.kind == Item.END && i + 1 < input.size()
          && input.get(i + 1).kind == Item.BEGIN) {
        result.add(Item.end(current.text + " " + input.get(i + 1).text));
        result.add(Item.begin(""));
        i++;
      } else {
        result.add(current);
      }
    }
    return result;
  }

  private static String indent(int level) {
    return " ".repeat(level * 4);
  }

  private static String hierarchical(List<Item> items) {
    StringBuilder lines = new StringBuilder();
    int level = 0;
    String current = "";
    for (Item item : items) {
      switch (item.kind) {
        case Item.BEGIN:
          if (!item.text.isEmpty()) {
            String c = current.isEmpty() ? item.text
                : (current.endsWith(" ") ? current : current + " ") + item.text;
            lines.append(indent(level)).append(c).append('\n');
          }
          level++;
          current = "";
          break;
        case Item.END:
          if (!current.isEmpty()) {
            lines.append(indent(level)).append(current).append('\n');
            current = "";
          }
          level--;
          lines.append(indent(level)).append(item.text).append('\n');
          break;
        case Item.TEXT:
          current += item.text;
          break;
        default: // SEPARATOR
          if (!current.isEmpty()) {
            lines.append(indent(level)).append(current).append('\n');
            current = "";
          }
          break;
      }
    }
    return lines.append(current).toString();
  }

  private static String flat(List<Item> items) {
    StringBuilder line = new StringBuilder();
    for (Item item : items) {
      switch (item.kind) {
        case Item.BEGIN:
        case Item.END:
          if (line.length() == 0 || line.charAt(line.length() - 1) != ' ') {
            line.append(' ');
          }
          line.append(item.text).append(' ');
          break;
        case Item.TEXT:
          line.append(item.text);
          break;
        default: { // SEPARATOR
          String trimmed = line.toString().stripTrailing();
          line.setLength(0);
          line.append(trimmed).append(", ");
          break;
        }
      }
    }
    return line.toString();
  }

  // ---------------------------------------------------------------- leaf summaries

  private static final HexFormat HEX = HexFormat.of();
  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'");

  /** Rust {@code CBOR::envelope_summary} with the global format context. */
  static String summary(Cbor cbor) {
    switch (cbor.kind()) {
      case BYTES:
        return "Bytes(" + cbor.rawBytes().length + ")";
      case TEXT:
        return "\"" + cbor.text().replace("\n", "\\n") + "\"";
      default:
        return cbor.diagnostic(EnvelopeFormat::tagSummary);
    }
  }

  /** Summarizers of the tags bc-envelope registers that matter here; null keeps {@code tag(...)}. */
  private static String tagSummary(Cbor tagged) {
    Cbor c = tagged.tagContent();
    long tag = tagged.tag();
    try {
      if (tag == KnownValue.TAG) {
        return KnownValue.fromTaggedCbor(tagged).toString();
      } else if (tag == Digest.TAG) {
        return "Digest(" + Digest.fromUntaggedCbor(c).shortHex() + ")";
      } else if (tag == Arid.TAG) {
        return "ARID(" + Arid.fromUntaggedCbor(c).shortHex() + ")";
      } else if (tag == 40024) { // XID
        return "XID(" + HEX.formatHex(c.expectBytes(32, "an XID"), 0, 4) + ")";
      } else if (tag == 37) { // UUID
        String h = HEX.formatHex(c.expectBytes(16, "a UUID"));
        return "UUID(" + h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16)
            + "-" + h.substring(16, 20) + "-" + h.substring(20) + ")";
      } else if (tag == 32) { // URI
        if (c.kind() != Cbor.Kind.TEXT) {
          throw new DecodeException(DecodeException.Kind.WRONG_TYPE, "a URI is text");
        }
        return "URI(" + c.text() + ")";
      } else if (tag == 1) { // date
        return date(c);
      }
      return null;
    } catch (DecodeException | IllegalStateException | ArithmeticException e) {
      return "<error: " + e.getMessage() + ">";
    }
  }

  /** dcbor's {@code Date} display: the day if the time is midnight, else seconds in UTC. */
  private static String date(Cbor c) {
    long seconds;
    long nanos;
    if (c.kind() == Cbor.Kind.UNSIGNED || c.kind() == Cbor.Kind.NEGATIVE) {
      seconds = c.longValue();
      nanos = 0;
    } else if (c.kind() == Cbor.Kind.FLOAT) {
      double d = c.floatValue();
      seconds = (long) d;
      double fraction = (d - Math.floor(Math.abs(d)) * Math.signum(d)) * 1e9;
      nanos = fraction <= 0 ? 0 : (long) Math.min(fraction, 999_999_999);
    } else {
      throw new DecodeException(DecodeException.Kind.WRONG_TYPE, "a date is a number");
    }
    ZonedDateTime t;
    try {
      t = Instant.ofEpochSecond(seconds, nanos).atZone(ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      throw new DecodeException(DecodeException.Kind.INVALID_VALUE, "date out of range");
    }
    if (t.getHour() == 0 && t.getMinute() == 0 && t.getSecond() == 0) {
      return t.toLocalDate().toString();
    }
    return t.format(DATE_TIME);
  }
}
