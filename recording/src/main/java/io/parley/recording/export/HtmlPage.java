package io.parley.recording.export;

import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import io.parley.recording.audio.AudioTrack;
import io.parley.recording.audio.Wav;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * A single HTML file with the transcript and, if there is audio, an embedded player: as the audio
 * plays, the message being spoken is highlighted and scrolled into view; clicking a message seeks
 * the audio there. Needs no network and no other files.
 */
final class HtmlPage {

    private HtmlPage() {
    }

    static void write(Recording r, Optional<AudioTrack> audio, DateTimeFormatter time, DateTimeFormatter date,
                      OutputStream os) throws IOException {
        Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
        w.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
        w.write(esc("Session: " + r.name()));
        w.write("</title>\n<style>\n"
                + "body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;color:#222}\n"
                + "audio{width:100%;position:sticky;top:0;background:#fff;padding:.5em 0}\n"
                + ".msg{padding:.4em .6em;margin:.3em 0;border-radius:6px;cursor:pointer}\n"
                + ".user_message{background:#eef4ff}.bot_response{background:#f3f3f3}.system_message{color:#777;font-size:.9em}\n"
                + ".msg.current{outline:2px solid #2a6df4}\n.time{color:#666;font-size:.85em;margin-right:.5em}\n"
                + ".interrupted{color:#b00;font-size:.85em;margin-left:.4em}\n</style>\n</head>\n<body>\n");
        w.write("<h1>" + esc("Session: " + r.name()) + "</h1>\n<p>");
        w.write("<b>Date:</b> " + esc(date.format(r.metadata().createdAt())) + " &middot; <b>Duration:</b> "
                + esc(RecordingExporter.formatDuration(r.duration())) + " &middot; <b>Messages:</b> " + r.messages().size());
        w.write("</p>\n");
        if (audio.isPresent()) {
            w.write("<audio id=\"player\" controls preload=\"auto\" src=\"data:audio/wav;base64,");
            w.flush();
            writeBase64Wav(audio.get(), os);
            w.write("\"></audio>\n");
        }
        w.write("<div id=\"transcript\">\n");
        for (RecordingEvent e : r.messages()) {
            double start = r.audioOffset(e).toNanos() / 1e9;
            w.write(String.format(Locale.ROOT, "<div class=\"msg %s\" data-start=\"%.3f\" data-seq=\"%d\">",
                    e.type().wireName(), start, e.seq()));
            w.write("<span class=\"time\">" + esc(time.format(e.timestamp())) + "</span><b>" + esc(e.author()) + ":</b> "
                    + esc(e.content()));
            if (Boolean.TRUE.equals(e.interrupted())) {
                w.write("<span class=\"interrupted\">(interrupted)</span>");
            }
            if (e.attachments() != null && !e.attachments().isEmpty()) {
                w.write("<span class=\"time\"> attachments: " + esc(String.join(", ", e.attachments())) + "</span>");
            }
            w.write("</div>\n");
        }
        w.write("</div>\n<script>\n"
                + "(function(){\n"
                + "var p=document.getElementById('player');\n"
                + "var ms=Array.prototype.slice.call(document.querySelectorAll('.msg'));\n"
                + "var cur=null;\n"
                + "function follow(){if(!p)return;var t=p.currentTime,best=null;\n"
                + " for(var i=0;i<ms.length;i++){if(parseFloat(ms[i].dataset.start)<=t+0.05)best=ms[i];}\n"
                + " if(best!==cur){if(cur)cur.classList.remove('current');cur=best;\n"
                + "  if(cur){cur.classList.add('current');cur.scrollIntoView({block:'nearest'});}}}\n"
                + "if(p){p.addEventListener('timeupdate',follow);p.addEventListener('seeked',follow);}\n"
                + "ms.forEach(function(m){m.addEventListener('click',function(){if(p){p.currentTime=parseFloat(m.dataset.start);p.play();}});});\n"
                + "window.parleyFollow=follow;\n"
                + "})();\n</script>\n</body>\n</html>\n");
        w.flush();
    }

    private static void writeBase64Wav(AudioTrack track, OutputStream os) throws IOException {
        // Streams the WAV through a base64 encoder so long recordings are never held twice in memory.
        OutputStream b64 = Base64.getEncoder().wrap(new NonClosing(os));
        Wav.write(b64, track.sampleRate(), track);
        b64.close();
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Lets the base64 wrapper be closed (to write its padding) without closing the page stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
