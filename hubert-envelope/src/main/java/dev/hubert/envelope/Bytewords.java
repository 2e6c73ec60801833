package dev.hubert.envelope;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Bytewords (BCR-2020-012): each byte is one of 256 four-letter words; the minimal form keeps the
 * first and last letter. Encodings carry a big-endian CRC-32 (ISO-HDLC, as zlib) of the data.
 */
final class Bytewords {
  private static final String[] WORDS = (
      "able acid also apex aqua arch atom aunt away axis back bald barn belt beta bias "
      + "blue body brag brew bulb buzz calm cash cats chef city claw code cola cook cost "
      + "crux curl cusp cyan dark data days deli dice diet door down draw drop drum dull "
      + "duty each easy echo edge epic even exam exit eyes fact fair fern figs film fish "
      + "fizz flap flew flux foxy free frog fuel fund gala game gear gems gift girl glow "
      + "good gray grim guru gush gyro half hang hard hawk heat help high hill holy hope "
      + "horn huts iced idea idle inch inky into iris iron item jade jazz join jolt jowl "
      + "judo jugs jump junk jury keep keno kept keys kick kiln king kite kiwi knob lamb "
      + "lava lazy leaf legs liar limp lion list logo loud love luau luck lung main many "
      + "math maze memo menu meow mild mint miss monk nail navy need news next noon note "
      + "numb obey oboe omit onyx open oval owls paid part peck play plus poem pool pose "
      + "puff puma purr quad quiz race ramp real redo rich road rock roof ruby ruin runs "
      + "rust safe saga scar sets silk skew slot soap solo song stub surf swan taco task "
      + "taxi tent tied time tiny toil tomb toys trip tuna twin ugly undo unit urge user "
      + "vast very veto vial vibe view visa void vows wall wand warm wasp wave waxy webs "
      + "what when whiz wolf work yank yawn yell yoga yurt zaps zero zest zinc zone zoom").split(" ");
  /** Minimal two-letter form -> byte value, indexed by (c1 - 'a') * 26 + (c2 - 'a'); -1 if none. */
  private static final int[] MINIMAL = new int[26 * 26];

  static {
    Arrays.fill(MINIMAL, -1);
    for (int i = 0; i < WORDS.length; i++) {
      String w = WORDS[i];
      MINIMAL[(w.charAt(0) - 'a') * 26 + (w.charAt(3) - 'a')] = i;
    }
  }

  private Bytewords() {}

  static byte[] crc32(byte[] data) {
    CRC32 crc = new CRC32();
    crc.update(data);
    return ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
  }

  private static byte[] withChecksum(byte[] data) {
    byte[] all = Arrays.copyOf(data, data.length + 4);
    System.arraycopy(crc32(data), 0, all, data.length, 4);
    return all;
  }

  /** Minimal bytewords of {@code data} followed by its CRC-32. */
  static String minimal(byte[] data) {
    StringBuilder sb = new StringBuilder((data.length + 4) * 2);
    for (byte b : withChecksum(data)) {
      String w = WORDS[b & 0xff];
      sb.append(w.charAt(0)).append(w.charAt(3));
    }
    return sb.toString();
  }

  /** Standard (space-separated full words) bytewords of {@code data} followed by its CRC-32. */
  static String standard(byte[] data) {
    StringBuilder sb = new StringBuilder();
    for (byte b : withChecksum(data)) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(WORDS[b & 0xff]);
    }
    return sb.toString();
  }

  /**
   * Decodes lower-case minimal bytewords and checks and strips the CRC-32.
   *
   * @throws DecodeException of kind INVALID_UR saying which rule failed
   */
  static byte[] decodeMinimal(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        throw invalid("bytewords contain a non-ASCII character at index " + i);
      }
    }
    if (s.length() % 2 != 0) {
      throw invalid("minimal bytewords have an odd length " + s.length());
    }
    byte[] all = new byte[s.length() / 2];
    for (int i = 0; i < all.length; i++) {
      char a = s.charAt(2 * i);
      char b = s.charAt(2 * i + 1);
      int v = a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z' ? MINIMAL[(a - 'a') * 26 + (b - 'a')] : -1;
      if (v < 0) {
        throw invalid("invalid byteword \"" + a + b + "\" at index " + (2 * i));
      }
      all[i] = (byte) v;
    }
    if (all.length < 4) {
      throw invalid("invalid checksum: bytewords hold " + all.length + " bytes, fewer than the 4 of a CRC-32");
    }
    byte[] data = Arrays.copyOf(all, all.length - 4);
    if (!Arrays.equals(crc32(data), 0, 4, all, data.length, all.length)) {
      throw invalid("invalid checksum: the CRC-32 does not match the data");
    }
    return data;
  }

  private static DecodeException invalid(String message) {
    return new DecodeException(DecodeException.Kind.INVALID_UR, message);
  }
}
