package dev.hubert.envelope;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A known value: a 64-bit unsigned codepoint with an optional registered name (Blockchain Commons
 * BCR-2023-002, registry of the Rust crate {@code known-values} 0.15.5), usually an envelope
 * predicate such as {@code 'id'} or {@code 'dereferenceVia'}.
 *
 * <p>Immutable; equal when the codepoints are equal (the name only affects text). As a standalone
 * CBOR value it is {@code 40000(value)}; inside an envelope it is a bare unsigned integer.
 */
public final class KnownValue implements Comparable<KnownValue> {
  /** The CBOR tag of a known value ({@code known-value}). */
  public static final long TAG = 40000;

  private static final Map<Long, KnownValue> REGISTRY = new HashMap<>();

  /** unit, written {@code ''} (0). */
  public static final KnownValue UNIT = named(0, "");
  /** 'isA' (1). */
  public static final KnownValue IS_A = named(1, "isA");
  /** 'id' (2). */
  public static final KnownValue ID = named(2, "id");
  /** 'signed' (3). */
  public static final KnownValue SIGNED = named(3, "signed");
  /** 'note' (4). */
  public static final KnownValue NOTE = named(4, "note");
  /** 'hasRecipient' (5). */
  public static final KnownValue HAS_RECIPIENT = named(5, "hasRecipient");
  /** 'sskrShare' (6). */
  public static final KnownValue SSKR_SHARE = named(6, "sskrShare");
  /** 'controller' (7). */
  public static final KnownValue CONTROLLER = named(7, "controller");
  /** 'key' (8). */
  public static final KnownValue KEY = named(8, "key");
  /** 'dereferenceVia' (9). */
  public static final KnownValue DEREFERENCE_VIA = named(9, "dereferenceVia");
  /** 'entity' (10). */
  public static final KnownValue ENTITY = named(10, "entity");
  /** 'name' (11). */
  public static final KnownValue NAME = named(11, "name");
  /** 'language' (12). */
  public static final KnownValue LANGUAGE = named(12, "language");
  /** 'issuer' (13). */
  public static final KnownValue ISSUER = named(13, "issuer");
  /** 'holder' (14). */
  public static final KnownValue HOLDER = named(14, "holder");
  /** 'salt' (15). */
  public static final KnownValue SALT = named(15, "salt");
  /** 'date' (16). */
  public static final KnownValue DATE = named(16, "date");
  /** 'Unknown' (17). */
  public static final KnownValue UNKNOWN_VALUE = named(17, "Unknown");
  /** 'version' (18). */
  public static final KnownValue VERSION_VALUE = named(18, "version");
  /** 'hasSecret' (19). */
  public static final KnownValue HAS_SECRET = named(19, "hasSecret");
  /** 'edits' (20). */
  public static final KnownValue DIFF_EDITS = named(20, "edits");
  /** 'validFrom' (21). */
  public static final KnownValue VALID_FROM = named(21, "validFrom");
  /** 'validUntil' (22). */
  public static final KnownValue VALID_UNTIL = named(22, "validUntil");
  /** 'position' (23). */
  public static final KnownValue POSITION = named(23, "position");
  /** 'nickname' (24). */
  public static final KnownValue NICKNAME = named(24, "nickname");
  /** 'value' (25). */
  public static final KnownValue VALUE = named(25, "value");
  /** 'attestation' (26). */
  public static final KnownValue ATTESTATION = named(26, "attestation");
  /** 'verifiableAt' (27). */
  public static final KnownValue VERIFIABLE_AT = named(27, "verifiableAt");
  /** 'attachment' (50). */
  public static final KnownValue ATTACHMENT = named(50, "attachment");
  /** 'vendor' (51). */
  public static final KnownValue VENDOR = named(51, "vendor");
  /** 'conformsTo' (52). */
  public static final KnownValue CONFORMS_TO = named(52, "conformsTo");
  /** 'allow' (60). */
  public static final KnownValue ALLOW = named(60, "allow");
  /** 'deny' (61). */
  public static final KnownValue DENY = named(61, "deny");
  /** 'endpoint' (62). */
  public static final KnownValue ENDPOINT = named(62, "endpoint");
  /** 'delegate' (63). */
  public static final KnownValue DELEGATE = named(63, "delegate");
  /** 'provenance' (64). */
  public static final KnownValue PROVENANCE = named(64, "provenance");
  /** 'privateKey' (65). */
  public static final KnownValue PRIVATE_KEY = named(65, "privateKey");
  /** 'service' (66). */
  public static final KnownValue SERVICE = named(66, "service");
  /** 'capability' (67). */
  public static final KnownValue CAPABILITY = named(67, "capability");
  /** 'provenanceGenerator' (68). */
  public static final KnownValue PROVENANCE_GENERATOR = named(68, "provenanceGenerator");
  /** 'All' (70). */
  public static final KnownValue PRIVILEGE_ALL = named(70, "All");
  /** 'Authorize' (71). */
  public static final KnownValue PRIVILEGE_AUTH = named(71, "Authorize");
  /** 'Sign' (72). */
  public static final KnownValue PRIVILEGE_SIGN = named(72, "Sign");
  /** 'Encrypt' (73). */
  public static final KnownValue PRIVILEGE_ENCRYPT = named(73, "Encrypt");
  /** 'Elide' (74). */
  public static final KnownValue PRIVILEGE_ELIDE = named(74, "Elide");
  /** 'Issue' (75). */
  public static final KnownValue PRIVILEGE_ISSUE = named(75, "Issue");
  /** 'Access' (76). */
  public static final KnownValue PRIVILEGE_ACCESS = named(76, "Access");
  /** 'Delegate' (80). */
  public static final KnownValue PRIVILEGE_DELEGATE = named(80, "Delegate");
  /** 'Verify' (81). */
  public static final KnownValue PRIVILEGE_VERIFY = named(81, "Verify");
  /** 'Update' (82). */
  public static final KnownValue PRIVILEGE_UPDATE = named(82, "Update");
  /** 'Transfer' (83). */
  public static final KnownValue PRIVILEGE_TRANSFER = named(83, "Transfer");
  /** 'Elect' (84). */
  public static final KnownValue PRIVILEGE_ELECT = named(84, "Elect");
  /** 'Burn' (85). */
  public static final KnownValue PRIVILEGE_BURN = named(85, "Burn");
  /** 'Revoke' (86). */
  public static final KnownValue PRIVILEGE_REVOKE = named(86, "Revoke");
  /** 'body' (100). */
  public static final KnownValue BODY = named(100, "body");
  /** 'result' (101). */
  public static final KnownValue RESULT = named(101, "result");
  /** 'error' (102). */
  public static final KnownValue ERROR = named(102, "error");
  /** 'OK' (103). */
  public static final KnownValue OK_VALUE = named(103, "OK");
  /** 'Processing' (104). */
  public static final KnownValue PROCESSING_VALUE = named(104, "Processing");
  /** 'sender' (105). */
  public static final KnownValue SENDER = named(105, "sender");
  /** 'senderContinuation' (106). */
  public static final KnownValue SENDER_CONTINUATION = named(106, "senderContinuation");
  /** 'recipientContinuation' (107). */
  public static final KnownValue RECIPIENT_CONTINUATION = named(107, "recipientContinuation");
  /** 'content' (108). */
  public static final KnownValue CONTENT = named(108, "content");
  /** 'Seed' (200). */
  public static final KnownValue SEED_TYPE = named(200, "Seed");
  /** 'PrivateKey' (201). */
  public static final KnownValue PRIVATE_KEY_TYPE = named(201, "PrivateKey");
  /** 'PublicKey' (202). */
  public static final KnownValue PUBLIC_KEY_TYPE = named(202, "PublicKey");
  /** 'MasterKey' (203). */
  public static final KnownValue MASTER_KEY_TYPE = named(203, "MasterKey");
  /** 'asset' (300). */
  public static final KnownValue ASSET = named(300, "asset");
  /** 'Bitcoin' (301). */
  public static final KnownValue BITCOIN_VALUE = named(301, "Bitcoin");
  /** 'Ethereum' (302). */
  public static final KnownValue ETHEREUM_VALUE = named(302, "Ethereum");
  /** 'Tezos' (303). */
  public static final KnownValue TEZOS_VALUE = named(303, "Tezos");
  /** 'network' (400). */
  public static final KnownValue NETWORK = named(400, "network");
  /** 'MainNet' (401). */
  public static final KnownValue MAIN_NET_VALUE = named(401, "MainNet");
  /** 'TestNet' (402). */
  public static final KnownValue TEST_NET_VALUE = named(402, "TestNet");
  /** 'BIP32Key' (500). */
  public static final KnownValue BIP32_KEY_TYPE = named(500, "BIP32Key");
  /** 'chainCode' (501). */
  public static final KnownValue CHAIN_CODE = named(501, "chainCode");
  /** 'DerivationPath' (502). */
  public static final KnownValue DERIVATION_PATH_TYPE = named(502, "DerivationPath");
  /** 'parentPath' (503). */
  public static final KnownValue PARENT_PATH = named(503, "parentPath");
  /** 'childrenPath' (504). */
  public static final KnownValue CHILDREN_PATH = named(504, "childrenPath");
  /** 'parentFingerprint' (505). */
  public static final KnownValue PARENT_FINGERPRINT = named(505, "parentFingerprint");
  /** 'PSBT' (506). */
  public static final KnownValue PSBT_TYPE = named(506, "PSBT");
  /** 'OutputDescriptor' (507). */
  public static final KnownValue OUTPUT_DESCRIPTOR_TYPE = named(507, "OutputDescriptor");
  /** 'outputDescriptor' (508). */
  public static final KnownValue OUTPUT_DESCRIPTOR = named(508, "outputDescriptor");
  /** 'Graph' (600). */
  public static final KnownValue GRAPH = named(600, "Graph");
  /** 'SourceTargetGraph' (601). */
  public static final KnownValue SOURCE_TARGET_GRAPH = named(601, "SourceTargetGraph");
  /** 'ParentChildGraph' (602). */
  public static final KnownValue PARENT_CHILD_GRAPH = named(602, "ParentChildGraph");
  /** 'Digraph' (603). */
  public static final KnownValue DIGRAPH = named(603, "Digraph");
  /** 'AcyclicGraph' (604). */
  public static final KnownValue ACYCLIC_GRAPH = named(604, "AcyclicGraph");
  /** 'Multigraph' (605). */
  public static final KnownValue MULTIGRAPH = named(605, "Multigraph");
  /** 'Pseudograph' (606). */
  public static final KnownValue PSEUDOGRAPH = named(606, "Pseudograph");
  /** 'GraphFragment' (607). */
  public static final KnownValue GRAPH_FRAGMENT = named(607, "GraphFragment");
  /** 'DAG' (608). */
  public static final KnownValue DAG = named(608, "DAG");
  /** 'Tree' (609). */
  public static final KnownValue TREE = named(609, "Tree");
  /** 'Forest' (610). */
  public static final KnownValue FOREST = named(610, "Forest");
  /** 'CompoundGraph' (611). */
  public static final KnownValue COMPOUND_GRAPH = named(611, "CompoundGraph");
  /** 'Hypergraph' (612). */
  public static final KnownValue HYPERGRAPH = named(612, "Hypergraph");
  /** 'Dihypergraph' (613). */
  public static final KnownValue DIHYPERGRAPH = named(613, "Dihypergraph");
  /** 'node' (700). */
  public static final KnownValue NODE = named(700, "node");
  /** 'edge' (701). */
  public static final KnownValue EDGE = named(701, "edge");
  /** 'source' (702). */
  public static final KnownValue SOURCE = named(702, "source");
  /** 'target' (703). */
  public static final KnownValue TARGET = named(703, "target");
  /** 'parent' (704). */
  public static final KnownValue PARENT = named(704, "parent");
  /** 'child' (705). */
  public static final KnownValue CHILD = named(705, "child");
  /** 'Self' (706). */
  public static final KnownValue SELF = named(706, "Self");

  private final long value;
  private final String name;

  private KnownValue(long value, String name) {
    this.value = value;
    this.name = name;
  }

  private static KnownValue named(long value, String name) {
    KnownValue kv = new KnownValue(value, name);
    REGISTRY.put(value, kv);
    return kv;
  }

  /** Returns every registered known value by codepoint (unmodifiable). */
  static Map<Long, KnownValue> registry() {
    return Collections.unmodifiableMap(REGISTRY);
  }

  /**
   * Returns the known value with codepoint {@code value} (read as unsigned 64-bit), carrying its
   * registered name if it has one.
   */
  public static KnownValue of(long value) {
    KnownValue kv = REGISTRY.get(value);
    return kv != null ? kv : new KnownValue(value, null);
  }

  /** Returns the codepoint (unsigned 64-bit). */
  public long value() {
    return value;
  }

  /** Returns the registered name; empty for an unregistered codepoint ({@code ""} for unit). */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }

  /** Returns {@code 40000(value)}. */
  public Cbor taggedCbor() {
    return Cbor.tagged(TAG, Cbor.unsigned(value));
  }

  /** Returns the bare unsigned integer, the form used inside an envelope. */
  public Cbor untaggedCbor() {
    return Cbor.unsigned(value);
  }

  /**
   * Reads {@code 40000(uint)}.
   *
   * @throws DecodeException of kind WRONG_TYPE or WRONG_TAG if {@code cbor} is not that
   */
  public static KnownValue fromTaggedCbor(Cbor cbor) {
    Cbor content = cbor.expectTag(TAG, "a known value");
    if (content.kind() != Cbor.Kind.UNSIGNED) {
      throw new DecodeException(DecodeException.Kind.WRONG_TYPE,
          "a known value is an unsigned integer, got " + content.kind());
    }
    return of(content.unsignedValue());
  }

  /** Returns SHA-256 of the encoding of {@code 40000(value)}, the envelope digest. */
  public Digest digest() {
    return Digest.of(taggedCbor().encoded());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KnownValue && ((KnownValue) o).value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }

  /** Orders by unsigned codepoint. */
  @Override
  public int compareTo(KnownValue o) {
    return Long.compareUnsigned(value, o.value);
  }

  /** Returns {@code 'name'}, {@code ''} for unit, or {@code 'N'} for an unnamed codepoint. */
  @Override
  public String toString() {
    return "'" + (name != null ? name : Long.toUnsignedString(value)) + "'";
  }
}
