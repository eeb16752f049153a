// linea-cli generate, chat, logits, ingest and bench, run as the command line runs them, on the
// committed RWKV-7 goldens and on a small random byte-level RWKV-7 written as GGUF for the test.
#include "app/cli/chat_command.h"
#include "app/cli/cli_commands.h"
#include "engine/io/gguf_writer.h"
#include "engine/models/memory_tensor_source.h"
#include "engine/models/registry.h"
#include "engine/models/rwkv7.h"
#include "engine/runtime/session.h"
#include "tests/engine/models/golden_models.h"

#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

namespace {

struct Run {
  int status;
  std::string out;
  std::string err;
};

Run run(std::vector<std::string> arguments) {
  std::ostringstream out, err;
  const int status = linea::cli::run_cli(arguments, out, err);
  return {status, out.str(), err.str()};
}

// A 2-layer RWKV-7 with a 256-entry byte vocabulary (so text works without a tokenizer file).
std::string write_byte_model(const QTemporaryDir& dir) {
  linea::Rwkv7Hyperparameters hp;
  hp.n_vocab = 256, hp.n_embd = 64, hp.n_layer = 2, hp.head_size = 64, hp.n_head = 1, hp.n_ffn = 128;
  hp.rank_decay = 16, hp.rank_iclr = 16, hp.rank_value_residual = 8, hp.rank_gate = 16;
  const auto weights = linea::random_rwkv7_weights(hp, linea::DType::f16, 3);
  linea::io::GgufWriter writer;
  writer.add_metadata("general.architecture", "rwkv7");
  writer.add_metadata("rwkv7.block_count", std::uint32_t{2});
  writer.add_metadata("rwkv7.embedding_length", std::uint32_t{64});
  writer.add_metadata("rwkv7.feed_forward_length", std::uint32_t{128});
  writer.add_metadata("rwkv7.wkv.head_size", std::uint32_t{64});
  writer.add_metadata("rwkv7.attention.layer_norm_epsilon", 1e-5f);
  for (const auto& tensor : weights->tensors())
    writer.add_tensor(tensor.name, tensor.dtype, tensor.shape,
                      std::vector<std::byte>(tensor.data, tensor.data + tensor.size_bytes));
  const std::string path = dir.filePath("bytes.gguf").toStdString();
  writer.write(path);
  return path;
}

std::string last_line(const std::string& text) {
  std::string trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  return trimmed.substr(trimmed.rfind('\n') + 1);
}

}  // namespace

class TestModelCommands : public QObject {
  Q_OBJECT

 private slots:
  void logitsMatchTheReference() {
    const auto golden = linea::test::read_golden_models().at(1);
    const auto& sequence = golden.sequences.at(1);
    std::string ids;
    for (std::int32_t token : sequence.tokens) ids += (ids.empty() ? "" : ",") + std::to_string(token);
    for (bool all : {false, true}) {
      std::vector<std::string> args = {"logits", "--model", golden.gguf, "--tokens", ids, "--threads", "2"};
      if (all) args.push_back("--all-positions");
      const Run result = run(args);
      QCOMPARE(result.status, 0);
      const auto json = nlohmann::json::parse(result.out);
      QCOMPARE(json.at("n_vocab").get<std::int64_t>(), golden.n_vocab);
      const auto& rows = json.at("logits");
      const std::size_t expected_rows = all ? sequence.tokens.size() : 1;
      QCOMPARE(rows.size(), expected_rows);
      const std::size_t first_row = sequence.tokens.size() - expected_rows;
      for (std::size_t r = 0; r < expected_rows; ++r) {
        QCOMPARE(rows[r].size(), static_cast<std::size_t>(golden.n_vocab));
        for (std::size_t i = 0; i < rows[r].size(); ++i) {
          const double expected = sequence.logits[(first_row + r) * golden.n_vocab + i];
          QVERIFY(std::abs(rows[r][i].get<double>() - expected) <= 1e-4);
        }
      }
    }
  }

  void logitsArgumentErrors() {
    const auto golden = linea::test::read_golden_models().at(0);
    Run result = run({"logits", "--model", golden.gguf, "--tokens", "1,x,3"});
    QCOMPARE(result.status, 2);
    QVERIFY2(result.err.find("'x' is not a token id") != std::string::npos, result.err.c_str());
    result = run({"logits", "--model", golden.gguf});
    QCOMPARE(result.status, 2);
    QVERIFY(result.err.find("exactly one of --tokens and --prompt") != std::string::npos);
    result = run({"logits", "--model", golden.gguf, "--tokens", "1,100000"});
    QCOMPARE(result.status, 1);
    QVERIFY2(result.err.find("token 100000 at position 1 is outside the vocabulary") != std::string::npos,
             result.err.c_str());
    result = run({"logits", "--model", golden.hf_folder, "--prompt", "hello"});
    QCOMPARE(result.status, 1);
    QVERIFY2(result.err.find("no tokenizer") != std::string::npos, result.err.c_str());
  }

  void generateIsDeterministicAndContinuesFromState() {
    QTemporaryDir dir;
    const std::string model = write_byte_model(dir);
    const std::vector<std::string> greedy = {"generate", "--model", model,    "--prompt", "Hello",
                                             "-n",       "12",      "--temp", "0"};
    const Run first = run(greedy), again = run(greedy);
    QCOMPARE(first.status, 0);
    QCOMPARE(first.out, again.out);
    QVERIFY2(first.err.find("generated 12 tokens") != std::string::npos, first.err.c_str());

    // The streamed text is exactly the greedy continuation the engine produces.
    auto loaded = linea::load_model(model);
    linea::Session session(loaded, std::make_shared<linea::cpu::ThreadPool>(1));
    session.feed(std::vector<std::int32_t>{'H', 'e', 'l', 'l', 'o'});
    std::string expected;
    for (int i = 0; i < 12; ++i) {
      const auto logits = session.last_logits();
      const auto token = static_cast<std::int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin());
      expected += static_cast<char>(token);
      session.feed_one(token);
    }
    QCOMPARE(first.out, expected + "\n");

    // --state: the second run continues the first.
    const std::string state = dir.filePath("gen.lstate").toStdString();
    std::vector<std::string> with_state = greedy;
    with_state.insert(with_state.end(), {"--state", state});
    QCOMPARE(run(with_state).status, 0);
    QCOMPARE(linea::read_state_file_header(state).token_count, std::uint64_t{5 + 12});
    QCOMPARE(run(with_state).status, 0);
    QCOMPARE(linea::read_state_file_header(state).token_count, std::uint64_t{2 * (5 + 12)});
  }

  void chatReadsStdinAndKeepsTheConversation() {
    QTemporaryDir dir;
    const std::string model = write_byte_model(dir);
    const std::string state = dir.filePath("chat.lstate").toStdString();
    std::istringstream in("Hi there\n/quit\n");
    std::ostringstream out, err;
    linea::cli::CommandContext context{{"--model", model, "--state", state, "-n", "8", "--temp", "0"}, out, err};
    QCOMPARE(linea::cli::run_chat(context, in), 0);
    QVERIFY2(err.str().find("format rwkv_g1") != std::string::npos, err.str().c_str());
    const auto header = linea::read_state_file_header(state);
    // "User: Hi there\n\nAssistant:" (26 bytes), a reply of at most 8 tokens, and the closing "\n\n".
    const std::string opening(header.tokens.begin(), header.tokens.begin() + 26);
    QCOMPARE(opening, std::string("User: Hi there\n\nAssistant:"));
    QVERIFY(header.token_count > 26 && header.token_count <= 26 + 8 + 2);
  }

  void ingestWritesTheStateAndResumes() {
    QTemporaryDir dir;
    const std::string model = write_byte_model(dir);
    const std::string input = dir.filePath("doc.txt").toStdString();
    std::string text;
    for (int i = 0; i < 300; ++i) text += "line " + std::to_string(i) + " of a document.\n";
    std::ofstream(input) << text;
    const std::string state = dir.filePath("doc.lstate").toStdString();

    const Run result = run({"ingest", "--model", model, "--input", input, "--state", state, "--checkpoint-every",
                            "1000", "--chunk", "300", "--threads", "2"});
    QCOMPARE(result.status, 0);
    const std::string final_line = last_line(result.out);
    QVERIFY2(
        final_line.starts_with("done: " + std::to_string(text.size()) + "/" + std::to_string(text.size()) + " tokens"),
        final_line.c_str());
    QVERIFY(final_line.find("tokens/s, peak RSS ") != std::string::npos);
    QVERIFY(final_line.find(" MiB, state saved to " + state) != std::string::npos);

    // The saved state is the state of feeding the bytes directly.
    auto loaded = linea::load_model(model);
    auto pool = std::make_shared<linea::cpu::ThreadPool>(1);
    linea::Session direct(loaded, pool), reopened(loaded, pool);
    direct.feed(std::vector<std::int32_t>(text.begin(), text.end()));
    reopened.load(state);
    QCOMPARE(reopened.position(), direct.position());
    QVERIFY(std::equal(direct.last_logits().begin(), direct.last_logits().end(), reopened.last_logits().begin()));

    // Resuming a finished ingestion feeds nothing more.
    const Run resumed = run({"ingest", "--model", model, "--input", input, "--state", state, "--resume"});
    QCOMPARE(resumed.status, 0);
    QVERIFY2(resumed.out.find("(0 this run)") != std::string::npos, resumed.out.c_str());
  }

  void benchReportsJson() {
    const auto golden = linea::test::read_golden_models().at(0);
    const Run result = run({"bench", "--model", golden.gguf, "-p", "16", "-n", "4", "--threads", "2", "--json"});
    QCOMPARE(result.status, 0);
    const auto json = nlohmann::json::parse(result.out);
    QVERIFY(json.at("prefill_tok_s").get<double>() > 0);
    QVERIFY(json.at("decode_tok_s").get<double>() > 0);
    QVERIFY(json.at("peak_rss_mb").get<double>() > 0);
    QCOMPARE(json.at("threads").get<int>(), 2);
    QCOMPARE(json.at("model").get<std::string>(), golden.gguf);
    QCOMPARE(json.at("prefill_tokens").get<int>(), 16);

    const Run both = run({"bench", "--model", golden.gguf, "--random", "rwkv7:0.1b"});
    QCOMPARE(both.status, 2);
    const Run bad_dtype = run({"bench", "--random", "rwkv7:0.1b", "--dtype", "q4"});
    QCOMPARE(bad_dtype.status, 2);
    QVERIFY2(bad_dtype.err.find("--dtype must be f32, f16, bf16, q8_0, q4_0, q4_k or q6_k, not 'q4'") != std::string::npos,
             bad_dtype.err.c_str());
  }
};

QTEST_APPLESS_MAIN(TestModelCommands)
#include "test_model_commands.moc"
