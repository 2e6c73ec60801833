package dev.hubert.cli;

import static dev.hubert.cli.CliBasicIT.HELLO;
import static dev.hubert.cli.CliBasicIT.VALID_ARID;
import static dev.hubert.cli.CliBasicIT.error;
import static dev.hubert.cli.CliBasicIT.usageError;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every validation message of {@code put}, {@code get} and {@code check}, in the reference's
 * order (first failing check wins), plus the checks of the options this port adds. None of these
 * reaches a backend: each fails before one is built.
 */
class ValidationIT {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // step 1: host/port against the storage (before the ARID is parsed)
        "put -s mainline --port 1 not-an-arid x | --port option is not supported for --storage mainline",
        "put --host h not-an-arid x | --host option is not supported for --storage mainline",
        "put -s mainline --port 1 --host h x x | --port option is not supported for --storage mainline",
        "put -s ipfs --host h x x | --host option is not supported for --storage ipfs (always uses 127.0.0.1)",
        "put -s hybrid --host h x x | --host option is not supported for --storage hybrid (always uses 127.0.0.1)",
        // step 1, this port's options
        "put -s server --bootstrap 127.0.0.1:1 x x | --bootstrap option is only supported for --storage mainline or --storage hybrid",
        "put -s ipfs --bootstrap 127.0.0.1:1 x x | --bootstrap option is only supported for --storage mainline or --storage hybrid",
        "put --ipfs-url http://127.0.0.1:1 x x | --ipfs-url option is only supported for --storage ipfs or --storage hybrid",
        "put -s ipfs --ipfs-url http://127.0.0.1:1 --port 2 x x | --ipfs-url cannot be combined with --port",
        "put -s hybrid --server-url http://127.0.0.1:1 x x | --server-url option is only supported for --storage server",
        "put -s server --server-url http://127.0.0.1:1 --port 2 x x | --server-url cannot be combined with --host or --port",
        "put -s server --server-url http://127.0.0.1:1 --host h x x | --server-url cannot be combined with --host or --port",
        // step 2: the ARID (before the envelope)
        "put -s server x not-an-envelope | Invalid ARID format. Expected ur:arid",
        "put -s server --ttl 5 --pin x x | Invalid ARID format. Expected ur:arid",
        // step 3: the envelope (before --ttl/--pin)
        "put -s mainline --ttl 5 " + VALID_ARID + " x | Invalid envelope format. Expected ur:envelope",
        // step 4: --ttl, then --pin
        "put -s mainline --ttl 5 --pin " + VALID_ARID + " " + HELLO + " | --ttl option is only supported for --storage server",
        "put -s ipfs --ttl 5 " + VALID_ARID + " " + HELLO + " | --ttl option is only supported for --storage server",
        "put -s hybrid --ttl 0 " + VALID_ARID + " " + HELLO + " | --ttl option is only supported for --storage server",
        "put --pin " + VALID_ARID + " " + HELLO + " | --pin option is only supported for --storage ipfs or --storage hybrid",
        "put -s server --pin " + VALID_ARID + " " + HELLO + " | --pin option is only supported for --storage ipfs or --storage hybrid",
        // get and check: step 1 identically, then (get) the ARID
        "get --port 1 not-an-arid | --port option is not supported for --storage mainline",
        "get --host h x | --host option is not supported for --storage mainline",
        "get -s ipfs --host h x | --host option is not supported for --storage ipfs (always uses 127.0.0.1)",
        "get -s hybrid --host h x | --host option is not supported for --storage hybrid (always uses 127.0.0.1)",
        "get -s server --bootstrap 127.0.0.1:1 x | --bootstrap option is only supported for --storage mainline or --storage hybrid",
        "get -s server " + VALID_ARID + "extra | Invalid ARID format. Expected ur:arid",
        "check --port 1 | --port option is not supported for --storage mainline",
        "check -s mainline --host h | --host option is not supported for --storage mainline",
        "check -s ipfs --host h | --host option is not supported for --storage ipfs (always uses 127.0.0.1)",
        "check -s hybrid --host h | --host option is not supported for --storage hybrid (always uses 127.0.0.1)",
        "check -s server --ipfs-url http://127.0.0.1:1 | --ipfs-url option is only supported for --storage ipfs or --storage hybrid",
      })
  void firstFailingCheckWins(String commandLine, String message) {
    error(HubertCli.run(commandLine.strip().split(" +")), message);
  }

  /** Values that do not parse are usage errors (exit 2), as clap's value parsers make them. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "put -s server --port 65536 x x",
        "put -s server --port -1 x x",
        "put -s server --ttl -5 x x",
        "put -s server --ttl soon x x",
        "get -t -1 x",
        "get --timeout forever x",
        "get --format json x",
        "get -s server --server-url ftp://h x",
        "get -s server --server-url not-a-url x",
        "get -s server --server-url http://127.0.0.1:99999 " + VALID_ARID,
        "get -s server --server-url http://127.0.0.1:0 " + VALID_ARID,
        "check -s ipfs --ipfs-url http://127.0.0.1:65536",
        "get --bootstrap nohostport x",
        "get --bootstrap 127.0.0.1:0 x",
        "check -s",
        "check -s server -t 0",
        "put -s server x x y",
      })
  void badValuesAreUsageErrors(String commandLine) {
    usageError(HubertCli.run(commandLine.split(" ")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"@/nonexistent/envelope.ur", "@"})
  void unreadableEnvelopeFile(String argument) {
    HubertCli.Result r = HubertCli.run("put", "-s", "server", VALID_ARID, argument);
    CliBasicIT.error(r, r.err.substring("Error: ".length()).strip());
    assertTrue(r.err.startsWith("Error: Cannot read envelope"), r::toString);
  }
}
