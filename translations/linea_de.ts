<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
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
    <name>linea::gui::EngineWorker</name>
    <message>
        <source>The model has no tokenizer Linea can read: %1</source>
        <translation>Das Modell hat keinen Tokenizer, den Linea lesen kann: %1</translation>
    </message>
    <message>
        <source>No model is loaded.</source>
        <translation>Es ist kein Modell geladen.</translation>
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
</context>
</TS>
