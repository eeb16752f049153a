<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>DocumentIngestion</name>
    <message>
        <source>%1 contains no text to read</source>
        <translation>%1 enthält keinen lesbaren Text</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
</context>
<context>
    <name>DocumentLibrary</name>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>%1: not a readable ingestion record</source>
        <translation>%1: kein lesbarer Einlese-Eintrag</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Some conversations could not be opened</source>
        <translation>Einige Unterhaltungen konnten nicht geöffnet werden</translation>
    </message>
</context>
<context>
    <name>linea::gui::AboutDialog</name>
    <message>
        <source>About Linea</source>
        <translation>Über Linea</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Linea %1&lt;/h2&gt;&lt;p&gt;Local linear-attention language models with vision and voice.&lt;/p&gt;&lt;p&gt;Licensed under the GNU General Public License, version 3 or later.&lt;/p&gt;&lt;p&gt;Compute: %2&lt;/p&gt;&lt;p&gt;Built with %3.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Linea %1&lt;/h2&gt;&lt;p&gt;Lokale Sprachmodelle mit linearer Attention, mit Bildverständnis und Sprachausgabe.&lt;/p&gt;&lt;p&gt;Lizenziert unter der GNU General Public License, Version 3 oder später.&lt;/p&gt;&lt;p&gt;Rechenwerk: %2&lt;/p&gt;&lt;p&gt;Erstellt mit %3.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>linea::gui::ConversationListModel</name>
    <message>
        <source>Untitled conversation</source>
        <translation>Unbenannte Unterhaltung</translation>
    </message>
    <message>
        <source>%1 messages, last changed %2</source>
        <translation>%1 Nachrichten, zuletzt geändert am %2</translation>
    </message>
</context>
<context>
    <name>linea::gui::ConversationSettingsDialog</name>
    <message>
        <source>Conversation Settings</source>
        <translation>Einstellungen der Unterhaltung</translation>
    </message>
    <message>
        <source>Optional instructions the model sees before every message.</source>
        <translation>Optionale Anweisungen, die das Modell vor jeder Nachricht liest.</translation>
    </message>
    <message>
        <source>0 (always the most likely token)</source>
        <translation>0 (immer das wahrscheinlichste Token)</translation>
    </message>
    <message>
        <source>off</source>
        <translation>aus</translation>
    </message>
    <message>
        <source>random for every reply</source>
        <translation>für jede Antwort zufällig</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>Systemanweisung:</translation>
    </message>
    <message>
        <source>Temperature:</source>
        <translation>Temperatur:</translation>
    </message>
    <message>
        <source>Top-k:</source>
        <translation>Top-k:</translation>
    </message>
    <message>
        <source>Top-p:</source>
        <translation>Top-p:</translation>
    </message>
    <message>
        <source>Min-p:</source>
        <translation>Min-p:</translation>
    </message>
    <message>
        <source>Repetition penalty:</source>
        <translation>Wiederholungsstrafe:</translation>
    </message>
    <message>
        <source>Longest reply (tokens):</source>
        <translation>Längste Antwort (Tokens):</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Startwert:</translation>
    </message>
</context>
<context>
    <name>linea::gui::ConversationStore</name>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>No conversation with id %1.</source>
        <translation>Keine Unterhaltung mit der Kennung %1.</translation>
    </message>
    <message>
        <source>Cannot delete %1.</source>
        <translation>%1 kann nicht gelöscht werden.</translation>
    </message>
</context>
<context>
    <name>linea::gui::DocumentWorkflow</name>
    <message>
        <source>Open &amp;Document…</source>
        <translation>&amp;Dokument öffnen …</translation>
    </message>
    <message>
        <source>Read PDF, text, Markdown, HTML or source files into a conversation</source>
        <translation>PDF-, Text-, Markdown-, HTML- oder Quelltextdateien in eine Unterhaltung einlesen</translation>
    </message>
    <message>
        <source>New &amp;Chat From This Document</source>
        <translation>Neuer &amp;Chat aus diesem Dokument</translation>
    </message>
    <message>
        <source>Open Document</source>
        <translation>Dokument öffnen</translation>
    </message>
    <message>
        <source>Documents (*.pdf *.txt *.md *.markdown *.html *.htm *.xhtml *.c *.h *.cpp *.hpp *.py *.rs *.go *.java *.js *.ts *.json *.yaml *.yml *.toml *.xml *.csv *.log *.tex);;All files (*)</source>
        <translation>Dokumente (*.pdf *.txt *.md *.markdown *.html *.htm *.xhtml *.c *.h *.cpp *.hpp *.py *.rs *.go *.java *.js *.ts *.json *.yaml *.yml *.toml *.xml *.csv *.log *.tex);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>None of these files is a document Linea can read:
%1</source>
        <translation>Keine dieser Dateien ist ein Dokument, das Linea lesen kann:
%1</translation>
    </message>
    <message>
        <source>Open a model first: documents are read into the model&apos;s state.</source>
        <translation>Öffnen Sie zuerst ein Modell: Dokumente werden in den Zustand des Modells eingelesen.</translation>
    </message>
    <message>
        <source>Chat about %1</source>
        <translation>Chat über %1</translation>
    </message>
    <message>
        <source>New Chat From This Document</source>
        <translation>Neuer Chat aus diesem Dokument</translation>
    </message>
    <message>
        <source>Document read with warnings</source>
        <translation>Dokument mit Warnungen gelesen</translation>
    </message>
    <message>
        <source>The document could not be read</source>
        <translation>Das Dokument konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>This document was being read with the model %1. Open that model to resume, or discard it.</source>
        <translation>Dieses Dokument wurde mit dem Modell %1 eingelesen. Öffnen Sie dieses Modell, um fortzufahren, oder verwerfen Sie es.</translation>
    </message>
</context>
<context>
    <name>linea::gui::EngineWorker</name>
    <message>
        <source>The model has no tokenizer Linea can read: %1</source>
        <translation>Das Modell hat keinen Tokenizer, den Linea lesen kann: %1</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Es ist kein Modell geladen.</translation>
    </message>
    <message>
        <source>The document state %1 does not list the tokens it holds.</source>
        <translation>Der Dokumentzustand %1 verzeichnet die enthaltenen Tokens nicht.</translation>
    </message>
    <message>
        <source>The document state %1 does not match this conversation.</source>
        <translation>Der Dokumentzustand %1 passt nicht zu dieser Unterhaltung.</translation>
    </message>
    <message>
        <source>This model cannot see pictures: it is a single file without a vision tower.</source>
        <translation>Dieses Modell kann keine Bilder sehen: Es ist eine einzelne Datei ohne Vision-Encoder.</translation>
    </message>
    <message>
        <source>This model cannot see pictures: its vision projector gives rows of %1 values, the language model takes %2.</source>
        <translation>Dieses Modell kann keine Bilder sehen: Sein Vision-Projektor liefert Zeilen mit %1 Werten, das Sprachmodell erwartet %2.</translation>
    </message>
    <message>
        <source>This model cannot see pictures: its image placeholder token %1 is outside the vocabulary.</source>
        <translation>Dieses Modell kann keine Bilder sehen: Sein Bild-Platzhaltertoken %1 liegt außerhalb des Vokabulars.</translation>
    </message>
    <message>
        <source>This model cannot see pictures: its tokenizer does not read &lt;image&gt; as the placeholder token.</source>
        <translation>Dieses Modell kann keine Bilder sehen: Sein Tokenizer liest &lt;image&gt; nicht als Platzhaltertoken.</translation>
    </message>
    <message>
        <source>This model cannot see pictures: it has no vision tower (%1).</source>
        <translation>Dieses Modell kann keine Bilder sehen: Es hat keinen Vision-Encoder (%1).</translation>
    </message>
    <message>
        <source>No text was found in %1.</source>
        <translation>In %1 wurde kein Text gefunden.</translation>
    </message>
    <message>
        <source>The conversation holds %1 image placeholders for %2 pictures; remove the text &lt;image&gt; from your messages.</source>
        <translation>Die Unterhaltung enthält %1 Bild-Platzhalter für %2 Bilder; entfernen Sie den Text &lt;image&gt; aus Ihren Nachrichten.</translation>
    </message>
    <message>
        <source>The cached conversation ends inside a picture.</source>
        <translation>Die zwischengespeicherte Unterhaltung endet mitten in einem Bild.</translation>
    </message>
</context>
<context>
    <name>linea::gui::ImageFiles</name>
    <message>
        <source>%1 cannot be opened: %2</source>
        <translation>%1 kann nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1 is %2 bytes, more than a picture Linea reads (%3 bytes).</source>
        <translation>%1 ist %2 Bytes groß, mehr als ein Bild, das Linea liest (%3 Bytes).</translation>
    </message>
    <message>
        <source>%1 holds %2 data, but its name says %3.</source>
        <translation>%1 enthält %2-Daten, sein Name sagt aber %3.</translation>
    </message>
    <message>
        <source>%1 is not a picture Linea can read: %2</source>
        <translation>%1 ist kein Bild, das Linea lesen kann: %2</translation>
    </message>
</context>
<context>
    <name>linea::gui::ImageTray</name>
    <message>
        <source>The model sees this picture with the message</source>
        <translation>Das Modell sieht dieses Bild mit der Nachricht</translation>
    </message>
    <message>
        <source>Show to the model</source>
        <translation>Dem Modell zeigen</translation>
    </message>
    <message>
        <source>Read the text</source>
        <translation>Text lesen</translation>
    </message>
    <message>
        <source>Recognise the picture&apos;s text (OCR) and put it into the message</source>
        <translation>Den Text des Bildes erkennen (OCR) und in die Nachricht einfügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Remove this picture from the message</source>
        <translation>Dieses Bild aus der Nachricht entfernen</translation>
    </message>
</context>
<context>
    <name>linea::gui::ImageWorkflow</name>
    <message>
        <source>Open a model that can see pictures first.</source>
        <translation>Öffnen Sie zuerst ein Modell, das Bilder sehen kann.</translation>
    </message>
    <message>
        <source>Attach Images</source>
        <translation>Bilder anhängen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>The text of the picture could not be read: %1</source>
        <translation>Der Text des Bildes konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Bilder</translation>
    </message>
</context>
<context>
    <name>linea::gui::IngestionPanel</name>
    <message>
        <source>%1, %2 and %3 more</source>
        <translation>%1, %2 und %3 weitere</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>New Chat From This Document</source>
        <translation>Neuer Chat aus diesem Dokument</translation>
    </message>
    <message>
        <source>Stop reading; what was read so far is kept and can be resumed</source>
        <translation>Einlesen anhalten; das bisher Gelesene bleibt erhalten und kann fortgesetzt werden</translation>
    </message>
    <message>
        <source>Start another conversation that continues from this document&apos;s saved state</source>
        <translation>Eine weitere Unterhaltung beginnen, die am gespeicherten Zustand dieses Dokuments ansetzt</translation>
    </message>
    <message>
        <source>Resuming %1…</source>
        <translation>%1 wird fortgesetzt …</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>%1 wird geöffnet …</translation>
    </message>
    <message>
        <source>Waiting for the engine</source>
        <translation>Warten auf die Engine</translation>
    </message>
    <message>
        <source>Extracting the text of %1</source>
        <translation>Text von %1 wird extrahiert</translation>
    </message>
    <message>
        <source>Page %1 of %2 · memory %3 MiB</source>
        <translation>Seite %1 von %2 · Speicher %3 MiB</translation>
    </message>
    <message>
        <source>Reading %1 into the model</source>
        <translation>%1 wird in das Modell eingelesen</translation>
    </message>
    <message>
        <source>%1 / %2 tokens</source>
        <translation>%1 / %2 Tokens</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 Tokens/s</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
    <message>
        <source>time left unknown</source>
        <translation>Restzeit unbekannt</translation>
    </message>
    <message>
        <source>memory %1 MiB</source>
        <translation>Speicher %1 MiB</translation>
    </message>
    <message>
        <source>resumed at %1 tokens</source>
        <translation>fortgesetzt bei %1 Tokens</translation>
    </message>
    <message>
        <source>Reading %1 was stopped</source>
        <translation>Das Einlesen von %1 wurde angehalten</translation>
    </message>
    <message>
        <source>%1 of %2 tokens are read; Resume continues from there.</source>
        <translation>%1 von %2 Tokens sind gelesen; „Fortsetzen“ macht dort weiter.</translation>
    </message>
    <message>
        <source>Resume continues from the last checkpoint.</source>
        <translation>„Fortsetzen“ macht am letzten Sicherungspunkt weiter.</translation>
    </message>
    <message>
        <source>Document: %1</source>
        <translation>Dokument: %1</translation>
    </message>
    <message>
        <source>%1 tokens read into the model. Replies continue from its saved state.</source>
        <translation>%1 Tokens in das Modell eingelesen. Antworten setzen an seinem gespeicherten Zustand an.</translation>
    </message>
</context>
<context>
    <name>linea::gui::LanguageSwitcher</name>
    <message>
        <source>Unknown interface language &quot;%1&quot;.</source>
        <translation>Unbekannte Oberflächensprache „%1“.</translation>
    </message>
    <message>
        <source>The translation catalogue %1 could not be loaded.</source>
        <translation>Der Übersetzungskatalog %1 konnte nicht geladen werden.</translation>
    </message>
</context>
<context>
    <name>linea::gui::MainWindow</name>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Linea</source>
        <translation>Linea</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open Model…</source>
        <translation>Modell ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Linea</source>
        <translation>Ü&amp;ber Linea</translation>
    </message>
    <message>
        <source>New Chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>Search conversations</source>
        <translation>Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <source>Open a model to start chatting. Documents and images can then be dropped here.</source>
        <translation>Öffnen Sie ein Modell, um zu chatten. Danach können Sie Dokumente und Bilder hierher ziehen.</translation>
    </message>
    <message>
        <source>Type a message…</source>
        <translation>Nachricht eingeben …</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>Anhängen …</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>No model loaded</source>
        <translation>Kein Modell geladen</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU (CUDA)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Rename conversation</source>
        <translation>Unterhaltung umbenennen</translation>
    </message>
    <message>
        <source>&amp;Rename</source>
        <translation>&amp;Umbenennen</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen …</translation>
    </message>
    <message>
        <source>Delete conversation</source>
        <translation>Unterhaltung löschen</translation>
    </message>
    <message>
        <source>Delete the conversation &quot;%1&quot;? This cannot be undone.</source>
        <translation>Die Unterhaltung „%1“ löschen? Das kann nicht rückgängig gemacht werden.</translation>
    </message>
    <message>
        <source>Conversation Settings</source>
        <translation>Einstellungen der Unterhaltung</translation>
    </message>
    <message>
        <source>Open Model &amp;Folder…</source>
        <translation>Modell&amp;ordner öffnen …</translation>
    </message>
    <message>
        <source>Conversation &amp;Settings…</source>
        <translation>&amp;Einstellungen der Unterhaltung …</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Loading model…</source>
        <translation>Modell wird geladen …</translation>
    </message>
    <message>
        <source>Model: %1 (%2)</source>
        <translation>Modell: %1 (%2)</translation>
    </message>
    <message>
        <source>Open Model</source>
        <translation>Modell öffnen</translation>
    </message>
    <message>
        <source>Models (*.gguf *.safetensors *.bin config.json);;All files (*)</source>
        <translation>Modelle (*.gguf *.safetensors *.bin config.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open Model Folder</source>
        <translation>Modellordner öffnen</translation>
    </message>
    <message>
        <source>The model could not be opened</source>
        <translation>Das Modell konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>Writing… %1 tokens/s, %2 tokens in context</source>
        <translation>Schreibt … %1 Tokens/s, %2 Tokens im Kontext</translation>
    </message>
    <message>
        <source>Save conversation</source>
        <translation>Unterhaltung speichern</translation>
    </message>
    <message>
        <source>%1 tokens at %2 tokens/s (%3), %4 tokens in context</source>
        <translation>%1 Tokens mit %2 Tokens/s (%3), %4 Tokens im Kontext</translation>
    </message>
    <message>
        <source>The reply failed: %1</source>
        <translation>Die Antwort ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Image…</source>
        <translation>Bild…</translation>
    </message>
    <message>
        <source>Attach pictures: show them to the model or read their text</source>
        <translation>Bilder anhängen: dem Modell zeigen oder ihren Text lesen</translation>
    </message>
</context>
<context>
    <name>linea::gui::MessageWidget</name>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <source>Linea</source>
        <translation>Linea</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy this message as Markdown</source>
        <translation>Diese Nachricht als Markdown kopieren</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>Edit this message and send it again</source>
        <translation>Diese Nachricht bearbeiten und erneut senden</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <source>Write this reply again</source>
        <translation>Diese Antwort neu schreiben lassen</translation>
    </message>
    <message>
        <source>Speak</source>
        <translation>Vorlesen</translation>
    </message>
    <message>
        <source>Read this message aloud</source>
        <translation>Diese Nachricht vorlesen</translation>
    </message>
    <message>
        <source>Export Audio…</source>
        <translation>Audio exportieren …</translation>
    </message>
    <message>
        <source>Save this message as speech in a WAV, Opus or MP3 file</source>
        <translation>Diese Nachricht gesprochen als WAV-, Opus- oder MP3-Datei speichern</translation>
    </message>
    <message>
        <source>%1
Shown to the model</source>
        <translation>%1
Dem Modell gezeigt</translation>
    </message>
    <message>
        <source>%1
Its text was read into the message</source>
        <translation>%1
Sein Text wurde in die Nachricht übernommen</translation>
    </message>
</context>
<context>
    <name>linea::gui::ModelDetailsDialog</name>
    <message>
        <source>Model Details</source>
        <translation>Modelldetails</translation>
    </message>
    <message>
        <source>Architecture:</source>
        <translation>Architektur:</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>Beschreibung:</translation>
    </message>
    <message>
        <source>Parameters:</source>
        <translation>Parameter:</translation>
    </message>
    <message>
        <source>%1 (%2 layers, width %3, vocabulary %4)</source>
        <translation>%1 (%2 Schichten, Breite %3, Vokabular %4)</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <source>%1 of weights, %2 on disk</source>
        <translation>%1 Gewichte, %2 auf der Festplatte</translation>
    </message>
    <message>
        <source>Context:</source>
        <translation>Kontext:</translation>
    </message>
    <message>
        <source>%1 tokens (declared by the model files)</source>
        <translation>%1 Tokens (laut den Modelldateien)</translation>
    </message>
    <message>
        <source>no fixed limit: the model keeps a fixed-size state however long the text</source>
        <translation>keine feste Grenze: Das Modell hält einen Zustand fester Größe, egal wie lang der Text ist</translation>
    </message>
    <message>
        <source>State per conversation:</source>
        <translation>Zustand je Unterhaltung:</translation>
    </message>
    <message>
        <source>Quantization / data types:</source>
        <translation>Quantisierung / Datentypen:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Tokenizer:</source>
        <translation>Tokenizer:</translation>
    </message>
    <message>
        <source>Chat format:</source>
        <translation>Chatformat:</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Datei:</translation>
    </message>
    <message>
        <source>no fixed limit: the softmax layers&apos; memory grows with the text</source>
        <translation>keine feste Grenze: der Speicher der Softmax-Schichten wächst mit dem Text</translation>
    </message>
    <message>
        <source>%1 + %2 per token</source>
        <translation>%1 + %2 pro Token</translation>
    </message>
</context>
<context>
    <name>linea::gui::ModelMenu</name>
    <message>
        <source>Open &amp;Recent Model</source>
        <translation>&amp;Zuletzt verwendetes Modell öffnen</translation>
    </message>
    <message>
        <source>Model &amp;Details…</source>
        <translation>Modell&amp;details …</translation>
    </message>
    <message>
        <source>No recent models</source>
        <translation>Keine zuletzt verwendeten Modelle</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>Liste &amp;leeren</translation>
    </message>
</context>
<context>
    <name>linea::gui::SpeakingIndicator</name>
    <message>
        <source>Audio saved to %1 (%2 s)</source>
        <translation>Audio gespeichert unter %1 (%2 s)</translation>
    </message>
    <message>
        <source>Speaking…</source>
        <translation>Liest vor …</translation>
    </message>
    <message>
        <source>Exporting audio…</source>
        <translation>Audio wird exportiert …</translation>
    </message>
    <message>
        <source>No audio output: speech can only be exported</source>
        <translation>Keine Audioausgabe: Sprache kann nur exportiert werden</translation>
    </message>
    <message>
        <source>Playing speech failed: %1</source>
        <translation>Wiedergabe der Sprache fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Stop speaking</source>
        <translation>Vorlesen beenden</translation>
    </message>
</context>
<context>
    <name>linea::gui::VoiceMenu</name>
    <message>
        <source>&amp;Voice</source>
        <translation>&amp;Vorlesen</translation>
    </message>
    <message>
        <source>&amp;Speak Replies</source>
        <translation>&amp;Antworten vorlesen</translation>
    </message>
    <message>
        <source>Read each reply aloud, sentence by sentence, while it is being written</source>
        <translation>Jede Antwort Satz für Satz vorlesen, schon während sie geschrieben wird</translation>
    </message>
    <message>
        <source>S&amp;top Speaking</source>
        <translation>Vorlesen &amp;beenden</translation>
    </message>
    <message>
        <source>Voice &amp;Settings…</source>
        <translation>&amp;Stimme einstellen …</translation>
    </message>
    <message>
        <source>&amp;Export Conversation Audio…</source>
        <translation>Unterhaltung als Audio &amp;exportieren …</translation>
    </message>
    <message>
        <source>Export Audio</source>
        <translation>Audio exportieren</translation>
    </message>
    <message>
        <source>WAV audio (*.wav);;Ogg Opus audio (*.opus *.ogg);;MP3 audio (*.mp3)</source>
        <translation>WAV-Audio (*.wav);;Ogg-Opus-Audio (*.opus *.ogg);;MP3-Audio (*.mp3)</translation>
    </message>
    <message>
        <source>Audio export failed</source>
        <translation>Audioexport fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 could not be written.

%2</source>
        <translation>%1 konnte nicht geschrieben werden.

%2</translation>
    </message>
</context>
<context>
    <name>linea::gui::VoiceSettingsDialog</name>
    <message>
        <source>Voice Settings</source>
        <translation>Stimme einstellen</translation>
    </message>
    <message>
        <source>1 is the voice&apos;s normal speed, 2 twice as fast</source>
        <translation>1 ist die normale Geschwindigkeit der Stimme, 2 doppelt so schnell</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <source>Voice:</source>
        <translation>Stimme:</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>Geschwindigkeit:</translation>
    </message>
    <message>
        <source>Automatic (each sentence in its own language)</source>
        <translation>Automatisch (jeder Satz in seiner eigenen Sprache)</translation>
    </message>
    <message>
        <source>Automatic (the usual voice of each sentence&apos;s language)</source>
        <translation>Automatisch (die übliche Stimme der Sprache jedes Satzes)</translation>
    </message>
</context>
</TS>
