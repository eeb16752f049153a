<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
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
</context>
</TS>
