#include "app/gui/engine/engine_worker.h"

#include "app/gui/documents/document_prompt.h"
#include "app/gui/engine/document_ingestion.h"
#include "app/gui/images/image_files.h"
#include "engine/cpu/thread_pool.h"
#include "engine/runtime/generation.h"
#include "engine/runtime/model_bundle.h"
#include "engine/runtime/session.h"
#include "vision/image_decode.h"
#include "vision/image_prompt.h"
#include "vision/ocr.h"
#include "vision/vision_encoder.h"

#include <QFileInfo>
#include <QThread>

#include <algorithm>
#include <filesystem>
#include <random>

namespace linea::gui {
namespace {

QString chatMessageRole(ChatMessage::Role role) { return ChatMessage::roleName(role); }

std::string toUtf8(const QString& text) { return text.toStdString(); }

std::filesystem::path toPath(const QString& path) { return std::filesystem::path(path.toStdU16String()); }

// A chat family for models whose metadata names none: RWKV's own format for RWKV, ChatML otherwise.
tokenizer::ChatFamily chatFamilyFor(const ModelBundle& bundle) {
  if (bundle.chat_family) return *bundle.chat_family;
  return bundle.model->info().architecture == "rwkv7" ? tokenizer::ChatFamily::rwkv_g1 : tokenizer::ChatFamily::chatml;
}

// Text that ends a reply in families without an end-of-turn token (RWKV writes the next "User:").
QStringList stopStrings(tokenizer::ChatFamily family) {
  if (family == tokenizer::ChatFamily::rwkv_g1) return {QStringLiteral("\n\nUser:"), QStringLiteral("\n\nSystem:")};
  return {};
}

// The text of MiniMax-VL-01's image placeholder, put at the start of a turn that shows a picture.
constexpr char kImageMarker[] = "<image>";

}  // namespace

struct EngineWorker::CachedSession {
  QUuid conversation;
  std::unique_ptr<Session> session;
  QStringList images;  // fingerprints of the pictures the session read, in order
};

EngineWorker::EngineWorker(std::atomic_bool& stopFlag, QObject* parent) : QObject(parent), stop_(stopFlag) {
  qRegisterMetaType<ModelSummary>();
  qRegisterMetaType<ReplyRequest>();
  qRegisterMetaType<ReplyStats>();
  qRegisterMetaType<IngestionRequest>();
  qRegisterMetaType<IngestionUpdate>();
  qRegisterMetaType<IngestionOutcome>();
}

EngineWorker::~EngineWorker() = default;

void EngineWorker::loadModel(const QString& path) {
  try {
    auto bundle = std::make_unique<ModelBundle>(open_model_bundle(path.toStdString()));
    if (!bundle->tokenizer) {
      emit modelLoadFailed(
          path,
          tr("The model has no tokenizer Linea can read: %1").arg(QString::fromStdString(bundle->tokenizer_error)));
      return;
    }
    const ModelSummary summary =
        summarizeModel(*bundle, path, QString::fromUtf8(tokenizer::chat_family_name(chatFamilyFor(*bundle)).data()));
    // A model sees pictures when its folder has a vision tower whose rows fit the language model.
    std::unique_ptr<vision::VisionEncoder> encoder;
    QString whyNot;
    const QFileInfo modelInfo(path);
    if (!modelInfo.isDir()) {
      whyNot = tr("This model cannot see pictures: it is a single file without a vision tower.");
    } else {
      try {
        encoder = vision::VisionEncoder::open(toPath(path));
        const int placeholder = encoder->config().image_token_index;
        if (encoder->embedding_size() != bundle->model->info().n_embd)
          whyNot = tr("This model cannot see pictures: its vision projector gives rows of %1 values, the language "
                      "model takes %2.")
                       .arg(encoder->embedding_size())
                       .arg(bundle->model->info().n_embd);
        else if (placeholder < 0 || placeholder >= bundle->model->info().n_vocab)
          whyNot = tr("This model cannot see pictures: its image placeholder token %1 is outside the vocabulary.")
                       .arg(placeholder);
        else if (bundle->tokenizer->encode(kImageMarker, /*allow_special=*/true) !=
                 std::vector<std::int32_t>{placeholder})
          whyNot = tr("This model cannot see pictures: its tokenizer does not read <image> as the placeholder token.");
      } catch (const std::exception& error) {
        whyNot =
            tr("This model cannot see pictures: it has no vision tower (%1).").arg(QString::fromUtf8(error.what()));
      }
      if (!whyNot.isEmpty()) encoder.reset();
    }
    sessions_.clear();
    documentTokens_.clear();
    images_.clear();
    vision_ = std::move(encoder);
    bundle_ = std::move(bundle);
    if (!pool_) pool_ = std::make_shared<cpu::ThreadPool>(std::max(1, QThread::idealThreadCount()));
    emit visionChecked(vision_ != nullptr, whyNot);
    emit modelLoaded(summary);
  } catch (const std::exception& error) {
    emit modelLoadFailed(path, QString::fromUtf8(error.what()));
  }
}

EngineWorker::CachedSession& EngineWorker::sessionFor(const QUuid& conversation,
                                                      const std::vector<std::int32_t>& prompt,
                                                      const QStringList& images, const QString& documentState,
                                                      ReplyStats& stats) {
  // Reuse this conversation's session when what it has read is the start of the new prompt: a
  // linear-attention state then continues without reading the conversation again.
  auto it = std::find_if(sessions_.begin(), sessions_.end(),
                         [&](const CachedSession& cached) { return cached.conversation == conversation; });
  if (it == sessions_.end()) {
    sessions_.push_front({conversation, std::make_unique<Session>(bundle_->model, pool_), {}});
    if (sessions_.size() > kCachedSessions) sessions_.pop_back();
    it = sessions_.begin();
  } else {
    sessions_.splice(sessions_.begin(), sessions_, it);
  }
  Session& session = *it->session;
  const std::vector<std::int32_t>& seen = session.tokens();
  // Placeholder tokens look the same for every picture: the pictures read must be the prompt's too.
  const bool samePictures = it->images == images.mid(0, it->images.size());
  const bool isPrefix = !seen.empty() && seen.size() < prompt.size() &&
                        std::equal(seen.begin(), seen.end(), prompt.begin()) && samePictures;
  if (isPrefix) return *it;
  it->images.clear();
  if (documentState.isEmpty()) {
    session.reset();
    return *it;
  }
  // Back to the document: the state file holds the session right after it was read.
  QElapsedTimer loadClock;
  loadClock.start();
  session.load(toPath(documentState));
  stats.stateLoaded = true;
  stats.stateLoadSeconds = static_cast<double>(loadClock.nsecsElapsed()) / 1e9;
  return *it;
}

const std::vector<std::int32_t>& EngineWorker::documentTokens(const QString& stateFile) {
  auto it = std::find_if(documentTokens_.begin(), documentTokens_.end(),
                         [&](const auto& entry) { return entry.first == stateFile; });
  if (it != documentTokens_.end()) {
    documentTokens_.splice(documentTokens_.begin(), documentTokens_, it);
    return documentTokens_.front().second;
  }
  StateFileHeader header = read_state_file_header(toPath(stateFile));
  if (header.tokens.size() != header.token_count)
    throw std::runtime_error(
        tr("The document state %1 does not list the tokens it holds.").arg(stateFile).toStdString());
  documentTokens_.emplace_front(stateFile, std::move(header.tokens));
  if (documentTokens_.size() > kCachedSessions) documentTokens_.pop_back();
  return documentTokens_.front().second;
}

std::shared_ptr<const vision::ImageEmbeddings> EngineWorker::imageEmbeddings(const QString& path,
                                                                             const QString& fingerprint) {
  auto it = std::find_if(images_.begin(), images_.end(), [&](const auto& entry) { return entry.first == fingerprint; });
  if (it != images_.end()) {
    images_.splice(images_.begin(), images_, it);
    return images_.front().second;
  }
  auto embeddings = std::make_shared<const vision::ImageEmbeddings>(
      vision_->encode(vision::decode_image_file(path.toStdString()).image, *pool_));
  images_.emplace_front(fingerprint, embeddings);
  if (images_.size() > kCachedImages) images_.pop_back();
  return embeddings;
}

void EngineWorker::readImageText(const QString& path) {
  try {
    const vision::DecodedImage decoded = vision::decode_image_file(path.toStdString());
    if (!ocr_) ocr_ = std::make_unique<vision::OcrEngine>();
    const QString text = QString::fromStdString(ocr_->recognize(decoded.image).text).trimmed();
    if (text.isEmpty()) {
      emit imageTextFailed(path, tr("No text was found in %1.").arg(path));
      return;
    }
    emit imageTextRead(path, text);
  } catch (const std::exception& error) {
    emit imageTextFailed(path, QString::fromUtf8(error.what()));
  }
}

void EngineWorker::generateReply(const ReplyRequest& request) {
  stop_ = false;
  if (!bundle_) {
    emit replyFailed(request.conversation, tr("No model is loaded."));
    return;
  }
  try {
    const tokenizer::ChatFamily family = chatFamilyFor(*bundle_);
    std::vector<tokenizer::ChatMessage> messages;
    if (!request.systemPrompt.isEmpty()) messages.push_back({"system", toUtf8(request.systemPrompt), {}, {}});
    // Pictures go in as MiniMax's <image> at the start of their turn (as linea-cli chat does); a model
    // without a vision tower gets the text alone.
    QStringList imageFiles;
    QStringList imageKeys;
    for (const ChatMessage& message : request.messages) {
      QString text = message.text;
      if (vision_ && !message.shownImage.isEmpty()) {
        text = QLatin1String(kImageMarker) + QLatin1Char('\n') + text;
        imageFiles << message.shownImage;
        imageKeys << imageFingerprint(message.shownImage);
      }
      messages.push_back({toUtf8(chatMessageRole(message.role)), toUtf8(text), {}, {}});
    }
    // With a document the prompt is the document state's tokens, then the conversation after them.
    std::vector<std::int32_t> promptTokens;
    ReplyStats stats;
    if (!request.documentState.isEmpty()) {
      promptTokens = documentTokens(request.documentState);
      stats.documentTokens = static_cast<qint64>(promptTokens.size());
    }
    const std::string prompt = request.documentState.isEmpty() ? tokenizer::render_chat(family, messages)
                                                               : renderChatAfterDocuments(family, messages);
    const std::vector<std::int32_t> chatTokens = bundle_->tokenizer->encode(prompt, /*allow_special=*/true);
    promptTokens.insert(promptTokens.end(), chatTokens.begin(), chatTokens.end());

    // Each placeholder becomes as many as its picture has rows; the rows are kept to be fed in their place.
    std::vector<vision::ImagePrompt> pictures;
    if (!imageFiles.isEmpty()) {
      const std::int32_t placeholder = vision_->config().image_token_index;
      const auto placeholders = std::count(promptTokens.begin(), promptTokens.end(), placeholder);
      if (placeholders != imageFiles.size())
        throw std::runtime_error(tr("The conversation holds %1 image placeholders for %2 pictures; remove the "
                                    "text <image> from your messages.")
                                     .arg(placeholders)
                                     .arg(imageFiles.size())
                                     .toStdString());
      std::vector<std::int32_t> expanded;
      auto segmentStart = promptTokens.begin();
      for (qsizetype i = 0; i < imageFiles.size(); ++i) {
        const auto segmentEnd = std::find(segmentStart, promptTokens.end(), placeholder) + 1;
        vision::ImagePrompt picture = vision::expand_image_placeholder(
            std::span<const std::int32_t>(&*segmentStart, static_cast<std::size_t>(segmentEnd - segmentStart)),
            placeholder, *imageEmbeddings(imageFiles[i], imageKeys[i]));
        picture.image_first += static_cast<std::int64_t>(expanded.size());
        expanded.insert(expanded.end(), picture.tokens.begin(), picture.tokens.end());
        picture.tokens.clear();
        pictures.push_back(std::move(picture));
        segmentStart = segmentEnd;
      }
      expanded.insert(expanded.end(), segmentStart, promptTokens.end());
      promptTokens = std::move(expanded);
    }

    CachedSession& cached = sessionFor(request.conversation, promptTokens, imageKeys, request.documentState, stats);
    Session& session = *cached.session;
    const std::size_t reused = session.tokens().size();
    if (reused >= promptTokens.size() ||
        !std::equal(session.tokens().begin(), session.tokens().end(), promptTokens.begin()))
      throw std::runtime_error(
          tr("The document state %1 does not match this conversation.").arg(request.documentState).toStdString());
    const std::span<const std::int32_t> newTokens(promptTokens.data() + reused, promptTokens.size() - reused);
    std::vector<EmbeddingRows> replaced;
    for (const vision::ImagePrompt& picture : pictures) {
      if (picture.image_first + picture.image_tokens <= static_cast<std::int64_t>(reused)) continue;  // read before
      if (picture.image_first < static_cast<std::int64_t>(reused))
        throw std::runtime_error(tr("The cached conversation ends inside a picture.").toStdString());
      replaced.push_back({picture.image_first - static_cast<std::int64_t>(reused), picture.rows});
    }

    GenerationOptions options;
    options.max_tokens = static_cast<std::size_t>(std::max(1, request.sampling.maxNewTokens));
    options.sampling.temperature = static_cast<float>(request.sampling.temperature);
    options.sampling.top_k = request.sampling.topK;
    options.sampling.top_p = static_cast<float>(request.sampling.topP);
    options.sampling.min_p = static_cast<float>(request.sampling.minP);
    options.sampling.repetition_penalty = static_cast<float>(request.sampling.repetitionPenalty);
    options.sampling.seed =
        request.sampling.seed >= 0 ? static_cast<std::uint64_t>(request.sampling.seed) : std::random_device{}();
    options.stop_tokens = bundle_->tokenizer->special_ids().end_of_generation;
    options.cancel = &stop_;

    const QStringList stops = stopStrings(family);
    QString reply;
    QString unsent;
    QElapsedTimer sinceBatch;
    QElapsedTimer decodeClock;
    sinceBatch.start();
    qint64 generated = 0;
    bool stoppedByText = false;
    auto speed = [&] {
      return decodeClock.isValid() && decodeClock.elapsed() > 0 ? 1000.0 * generated / decodeClock.elapsed() : 0.0;
    };

    // With pictures the prompt is fed here (their rows in place of the placeholders) and the reply follows.
    std::span<const std::int32_t> generationPrompt = newTokens;
    if (!replaced.empty()) {
      FeedOptions feed;
      feed.replaced = replaced;
      feed.cancel = &stop_;
      if (session.feed(newTokens, feed).cancelled) {
        // Stopped inside the prompt: a session cut inside a picture must not be continued.
        session.reset();
        cached.images.clear();
        stats.promptTokens = static_cast<qint64>(newTokens.size());
        stats.stopReason = QString::fromLatin1(stop_reason_name(StopReason::cancelled));
        emit replyFinished(request.conversation, QString(), stats);
        return;
      }
      generationPrompt = {};
    }
    cached.images = imageKeys;

    const GenerationResult result = generate(
        session, generationPrompt, options, bundle_->tokenizer.get(), [&](std::int32_t token, std::string_view piece) {
          if (!decodeClock.isValid()) decodeClock.start();
          if (token >= 0) ++generated;
          reply += QString::fromUtf8(piece.data(), static_cast<qsizetype>(piece.size()));
          unsent += QString::fromUtf8(piece.data(), static_cast<qsizetype>(piece.size()));
          for (const QString& stop : stops) {
            if (const qsizetype at = reply.indexOf(stop); at >= 0) {
              unsent.chop(reply.size() - at);
              reply.truncate(at);
              stoppedByText = true;
              return false;
            }
          }
          if (sinceBatch.elapsed() >= kBatchIntervalMs) {
            emit replyText(request.conversation, unsent, speed(), static_cast<qint64>(session.position()));
            unsent.clear();
            sinceBatch.restart();
          }
          return true;
        });
    if (!unsent.isEmpty())
      emit replyText(request.conversation, unsent, speed(), static_cast<qint64>(session.position()));

    stats.promptTokens = static_cast<qint64>(newTokens.size());
    stats.reusedTokens = static_cast<qint64>(reused);
    stats.replyTokens = generated;
    stats.contextTokens = static_cast<qint64>(session.position());
    stats.tokensPerSecond = result.decode_seconds > 0 ? result.tokens.size() / result.decode_seconds : 0.0;
    stats.stopReason =
        stoppedByText ? QStringLiteral("end of turn") : QString::fromLatin1(stop_reason_name(result.reason));
    // A reply cut by a stop string leaves the session after the stop text: it no longer matches the
    // conversation, so the next turn starts that session afresh (sessionFor checks the prefix).
    emit replyFinished(request.conversation, reply.trimmed(), stats);
  } catch (const std::exception& error) {
    emit replyFailed(request.conversation, QString::fromUtf8(error.what()));
  }
}

void EngineWorker::ingestDocuments(const IngestionRequest& request) {
  if (!bundle_) {
    emit ingestionFailed(request.job, request.conversation, tr("No model is loaded."));
    return;
  }
  try {
    auto session = std::make_unique<Session>(bundle_->model, pool_);
    const IngestionOutcome outcome =
        runIngestion(*bundle_, chatFamilyFor(*bundle_), *session, request, stop_,
                     [this](const IngestionUpdate& update) { emit ingestionProgress(update); });
    if (outcome.completed) {
      // The conversation's first reply continues from this session instead of loading the file.
      sessions_.remove_if([&](const CachedSession& cached) { return cached.conversation == request.conversation; });
      sessions_.push_front({request.conversation, std::move(session), {}});
      if (sessions_.size() > kCachedSessions) sessions_.pop_back();
    }
    emit ingestionFinished(outcome);
  } catch (const std::exception& error) {
    emit ingestionFailed(request.job, request.conversation, QString::fromUtf8(error.what()));
  }
}

}  // namespace linea::gui
