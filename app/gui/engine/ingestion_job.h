// The messages between the GUI and the engine thread about reading documents into a conversation's
// state: what to read and where its files go, progress while it runs, and how it ended.
#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUuid>

namespace linea::gui {

struct IngestionRequest {
  QString job;                      // the document library's id for this ingestion
  QUuid conversation;               // the conversation the state belongs to
  QStringList sources;              // the documents, read in this order
  QString textFile;                 // the extracted text, kept until the state is complete (resume reads it)
  QString checkpointFile;           // the engine's checkpoint (and what a cancel saves)
  QString stateFile;                // the finished state, written atomically at the end
  quint64 checkpointEvery = 16384;  // document tokens between checkpoints
};

struct IngestionUpdate {
  enum class Phase { reading, ingesting };
  QString job;
  QUuid conversation;
  Phase phase = Phase::reading;
  QString currentFile;  // reading: the document being read
  int pagesDone = 0;    // reading: pages of currentFile done / total
  int pagesTotal = 0;
  qint64 done = 0;  // ingesting: document tokens in the session (resumed ones included)
  qint64 total = 0;
  qint64 resumedFrom = 0;
  double tokensPerSecond = 0;
  double secondsLeft = -1;  // -1 while unknown
  double memoryMiB = 0;     // the process's resident memory
};

struct IngestionOutcome {
  QString job;
  QUuid conversation;
  bool completed = false;  // the state file is written
  bool cancelled = false;  // stopped; the checkpoint holds `done` tokens
  qint64 done = 0;
  qint64 total = 0;
  qint64 resumedFrom = 0;  // document tokens taken from the checkpoint
  double readSeconds = 0;  // extracting text (0 when the text came from an earlier run)
  double ingestSeconds = 0;
  double tokensPerSecond = 0;
  QString stateFile;
  QStringList warnings;  // from reading the documents, e.g. PDF pages without a text layer
};

}  // namespace linea::gui

Q_DECLARE_METATYPE(linea::gui::IngestionRequest)
Q_DECLARE_METATYPE(linea::gui::IngestionUpdate)
Q_DECLARE_METATYPE(linea::gui::IngestionOutcome)
