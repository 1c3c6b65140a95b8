package io.parley.recording.export;

import io.parley.recording.EventType;
import io.parley.recording.Recording;
import io.parley.recording.RecordingEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * The call report as one HTML page: a summary, the waveform of both channels, who spoke when
 * (with overlaps and barge-ins marked), a latency bar group per turn and, beside them, the
 * transcript. Clicking a message, the waveform, the timeline or a turn's bars seeks the audio
 * there; while it plays, a playhead moves and the message being spoken is highlighted. The
 * audio is referenced ({@code audioHref}), never inlined, so the page stays small however long
 * the call; everything else is inline SVG and needs no network.
 */
final class HtmlPage {

    private static final int W = CallReport.COLUMNS;
    private static final String[] LATENCY_COLORS = {"#7b61ff", "#00a3a3", "#e0a100", "#e8590c", "#444"};

    private HtmlPage() {
    }

    static void write(Recording r, CallReport c, Optional<String> audioHref, DateTimeFormatter time,
                      DateTimeFormatter date, OutputStream os) throws IOException {
        Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8);
        w.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
        w.write(esc("Call report: " + r.name()));
        w.write("</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<header>\n<h1>");
        w.write(esc(r.name()) + "</h1>\n<div class=\"chips\">");
        chip(w, "Date", date.format(r.metadata().createdAt()));
        chip(w, "Duration", RecordingExporter.formatDuration(java.time.Duration.ofMillis((long) (c.seconds * 1000))));
        chip(w, "Messages", Integer.toString(c.lines.size()));
        chip(w, "Turns", Integer.toString(c.turns.size()));
        chip(w, "Barge-ins", Integer.toString(c.bargeIns.size()));
        chip(w, "Overlap", String.format(Locale.ROOT, "%.1f s", CallReport.total(c.overlaps)));
        chip(w, "Median user \u2192 agent audio", median(c));
        w.write("</div>\n");
        if (!r.report().problems().isEmpty()) {
            w.write("<ul class=\"problems\">");
            for (String p : r.report().problems()) {
                w.write("<li>" + esc(p) + "</li>");
            }
            w.write("</ul>\n");
        }
        w.write("</header>\n<main>\n<section class=\"visual\">\n");
        if (audioHref.isPresent()) {
            w.write("<audio id=\"player\" controls preload=\"metadata\" src=\"" + esc(audioHref.get()) + "\"></audio>\n");
        } else {
            w.write("<p class=\"note\">Audio not attached to this report.</p>\n");
        }
        waveform(w, c);
        timeline(w, c);
        latencies(w, c);
        w.write("</section>\n<section class=\"transcript\" id=\"transcript\">\n<h2>Transcript</h2>\n");
        for (CallReport.Line l : c.lines) {
            RecordingEvent e = l.event();
            w.write(String.format(Locale.ROOT, "<div class=\"msg %s\" data-t=\"%.3f\" data-seq=\"%d\">",
                    e.type().wireName(), l.at(), e.seq()));
            w.write("<span class=\"time\">" + esc(time.format(e.timestamp())) + " \u00b7 " + clock(l.at())
                    + "</span><b>" + esc(e.author()) + "</b><div class=\"text\">" + esc(e.content()) + "</div>");
            if (Boolean.TRUE.equals(e.interrupted())) {
                w.write("<span class=\"interrupted\">interrupted by the user</span>");
            }
            if (e.attachments() != null && !e.attachments().isEmpty()) {
                w.write("<span class=\"time\">attachments: " + esc(String.join(", ", e.attachments())) + "</span>");
            }
            w.write("</div>\n");
        }
        w.write("</section>\n</main>\n<script>\n" + SCRIPT.replace("$SECONDS", String.format(Locale.ROOT, "%.3f", c.seconds))
                + "</script>\n</body>\n</html>\n");
        w.flush();
    }

    private static void waveform(Writer w, CallReport c) throws IOException {
        w.write("<h2>Waveform <span class=\"legend\"><i class=\"u\"></i>user <i class=\"a\"></i>agent</span></h2>\n");
        w.write("<svg id=\"wave\" class=\"seekable\" viewBox=\"0 0 " + W + " 120\" preserveAspectRatio=\"none\">");
        lane(w, c.peaks[0], 30, "#2a6df4");
        lane(w, c.peaks[1], 90, "#f08c00");
        w.write("<line x1=\"0\" x2=\"" + W + "\" y1=\"60\" y2=\"60\" stroke=\"#ddd\"/>");
        playhead(w, 120);
        w.write("</svg>\n");
        if (!c.hasAudio) {
            w.write("<p class=\"note\">This recording has no audio.</p>\n");
        }
    }

    private static void lane(Writer w, float[] peaks, int mid, String color) throws IOException {
        StringBuilder top = new StringBuilder();
        StringBuilder bottom = new StringBuilder();
        for (int x = 0; x < peaks.length; x++) {
            float h = Math.max(0.5f, peaks[x] * 28);
            top.append(x).append(',').append(fmt(mid - h)).append(' ');
            bottom.insert(0, x + "," + fmt(mid + h) + " ");
        }
        w.write("<polygon fill=\"" + color + "\" points=\"" + top + bottom + "\"/>");
    }

    private static void timeline(Writer w, CallReport c) throws IOException {
        w.write("<h2>Who spoke when <span class=\"legend\"><i class=\"u\"></i>user <i class=\"a\"></i>agent "
                + "<i class=\"o\"></i>overlap <i class=\"b\"></i>barge-in</span></h2>\n");
        w.write("<svg id=\"timeline\" class=\"seekable\" viewBox=\"0 0 " + W + " 86\" preserveAspectRatio=\"none\">");
        w.write("<text x=\"2\" y=\"11\" class=\"lbl\">user</text><text x=\"2\" y=\"43\" class=\"lbl\">agent</text>");
        spans(w, c, c.user, 14, 20, "#2a6df4", "user speaking");
        spans(w, c, c.agent, 46, 20, "#f08c00", "agent speaking");
        spans(w, c, c.overlaps, 10, 60, "rgba(224,49,49,.35)", "both speaking");
        for (double b : c.bargeIns) {
            double x = x(c, b);
            w.write("<g class=\"barge\"><title>barge-in at " + clock(b) + "</title><line x1=\"" + fmt(x) + "\" x2=\""
                    + fmt(x) + "\" y1=\"8\" y2=\"70\" stroke=\"#e03131\" stroke-width=\"1.5\"/><polygon fill=\"#e03131\" points=\""
                    + fmt(x - 4) + ",0 " + fmt(x + 4) + ",0 " + fmt(x) + ",8\"/></g>");
        }
        int step = tickStep(c.seconds);
        for (int s = 0; s <= c.seconds; s += step) {
            double x = x(c, s);
            w.write("<line x1=\"" + fmt(x) + "\" x2=\"" + fmt(x) + "\" y1=\"70\" y2=\"74\" stroke=\"#999\"/><text x=\""
                    + fmt(x + 1) + "\" y=\"84\" class=\"lbl\">" + clock(s) + "</text>");
        }
        playhead(w, 72);
        w.write("</svg>\n");
    }

    private static void spans(Writer w, CallReport c, java.util.List<CallReport.Span> spans, int y, int h, String color,
                              String what) throws IOException {
        for (CallReport.Span s : spans) {
            double x0 = x(c, s.start());
            double width = Math.max(0.6, x(c, s.end()) - x0);
            w.write("<rect x=\"" + fmt(x0) + "\" y=\"" + y + "\" width=\"" + fmt(width) + "\" height=\"" + h
                    + "\" fill=\"" + color + "\"><title>" + what + " " + clock(s.start()) + "\u2013" + clock(s.end())
                    + "</title></rect>");
        }
    }

    private static void latencies(Writer w, CallReport c) throws IOException {
        w.write("<h2>Latency per turn <span class=\"legend\">");
        int k = 0;
        for (String label : CallReport.LATENCIES.values()) {
            w.write("<i style=\"background:" + LATENCY_COLORS[k++] + "\"></i>" + esc(label) + " ");
        }
        w.write("</span></h2>\n");
        if (c.turns.isEmpty()) {
            w.write("<p class=\"note\">No turn latencies were recorded.</p>\n");
            return;
        }
        long max = c.maxLatencyMs();
        int n = c.turns.size();
        double group = (double) W / n;
        double bar = Math.max(0.3, group * 0.8 / CallReport.LATENCIES.size());
        w.write("<svg id=\"latency\" viewBox=\"0 0 " + W + " 110\" preserveAspectRatio=\"none\">");
        w.write("<text x=\"2\" y=\"10\" class=\"lbl\">" + max + " ms</text><line x1=\"0\" x2=\"" + W
                + "\" y1=\"100\" y2=\"100\" stroke=\"#ccc\"/>");
        for (int i = 0; i < n; i++) {
            CallReport.Turn t = c.turns.get(i);
            w.write(String.format(Locale.ROOT, "<g class=\"turn\" data-t=\"%.3f\"><title>turn %d", t.at(), t.turnId()));
            for (var e : CallReport.LATENCIES.entrySet()) {
                Long v = t.latenciesMs().get(e.getKey());
                if (v != null) {
                    w.write(" \u00b7 " + esc(e.getValue()) + " " + v + " ms");
                }
            }
            w.write("</title><rect x=\"" + fmt(i * group) + "\" y=\"0\" width=\"" + fmt(group) + "\" height=\"100\" fill=\"transparent\"/>");
            int m = 0;
            for (String key : CallReport.LATENCIES.keySet()) {
                Long v = t.latenciesMs().get(key);
                if (v != null) {
                    double h = Math.max(1, 90.0 * v / max);
                    w.write("<rect x=\"" + fmt(i * group + group * 0.1 + m * bar) + "\" y=\"" + fmt(100 - h) + "\" width=\""
                            + fmt(bar) + "\" height=\"" + fmt(h) + "\" fill=\"" + LATENCY_COLORS[m] + "\"/>");
                }
                m++;
            }
            w.write("</g>");
        }
        w.write("</svg>\n");
    }

    private static void playhead(Writer w, int height) throws IOException {
        w.write("<line class=\"playhead\" x1=\"0\" x2=\"0\" y1=\"0\" y2=\"" + height + "\"/>");
    }

    private static void chip(Writer w, String label, String value) throws IOException {
        w.write("<span class=\"chip\"><small>" + esc(label) + "</small>" + esc(value) + "</span>");
    }

    private static String median(CallReport c) {
        java.util.List<Long> v = new java.util.ArrayList<>();
        for (CallReport.Turn t : c.turns) {
            Long x = t.latenciesMs().get("user_to_agent_audio");
            if (x != null) {
                v.add(x);
            }
        }
        if (v.isEmpty()) {
            return "\u2013";
        }
        java.util.Collections.sort(v);
        return v.get((v.size() - 1) / 2) + " ms";
    }

    private static double x(CallReport c, double seconds) {
        return c.seconds <= 0 ? 0 : seconds * W / c.seconds;
    }

    static int tickStep(double seconds) {
        int[] steps = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600};
        for (int s : steps) {
            if (seconds / s <= 10) {
                return s;
            }
        }
        return 7200;
    }

    static String clock(double seconds) {
        long s = (long) Math.floor(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
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

    private static final String CSS = """
            body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
            header{padding:1em 1.5em .5em;background:#fff;border-bottom:1px solid #e5e5e5}
            h1{margin:0 0 .4em;font-size:1.4em}h2{font-size:1em;margin:1.2em 0 .4em}
            .chips{display:flex;flex-wrap:wrap;gap:.5em}.chip{background:#f1f3f5;border-radius:6px;padding:.3em .6em}
            .chip small{display:block;color:#666;font-size:.75em}
            .problems{color:#b00;margin:.6em 0 0}
            main{display:grid;grid-template-columns:minmax(0,3fr) minmax(18em,2fr);gap:1.5em;padding:0 1.5em 2em}
            .visual{position:sticky;top:0;align-self:start}
            audio{width:100%;margin-top:1em}
            svg{width:100%;background:#fff;border:1px solid #e5e5e5;border-radius:4px;display:block}
            #wave{height:120px}#timeline{height:86px}#latency{height:110px}
            .seekable,.turn{cursor:pointer}.lbl{font-size:9px;fill:#666}
            .playhead{stroke:#e03131;stroke-width:1.5;vector-effect:non-scaling-stroke}
            .legend{font-weight:normal;font-size:.8em;color:#555;margin-left:.6em}
            .legend i{display:inline-block;width:.8em;height:.8em;margin:0 .25em 0 .6em;vertical-align:middle}
            .legend .u{background:#2a6df4}.legend .a{background:#f08c00}.legend .o{background:rgba(224,49,49,.35)}
            .legend .b{background:#e03131}
            .transcript{max-height:100vh;overflow-y:auto}
            .msg{padding:.45em .7em;margin:.35em 0;border-radius:8px;cursor:pointer;background:#fff;border:1px solid #eee}
            .msg .text{white-space:pre-wrap}
            .user_message{border-left:4px solid #2a6df4}.bot_response{border-left:4px solid #f08c00}
            .system_message{color:#777;font-size:.9em}
            .msg.current{outline:2px solid #e03131}
            .time{color:#666;font-size:.8em;display:block}.interrupted{color:#b00;font-size:.8em}
            .note{color:#777;font-size:.9em}
            @media (max-width:800px){main{grid-template-columns:1fr}.visual{position:static}}
            """;

    private static final String SCRIPT = """
            (function(){
            var total=$SECONDS,p=document.getElementById('player');
            var ms=Array.prototype.slice.call(document.querySelectorAll('.msg'));
            var heads=Array.prototype.slice.call(document.querySelectorAll('.playhead'));
            var cur=null;
            function show(t){
             var x=total>0?t*%d/total:0;
             heads.forEach(function(h){h.setAttribute('x1',x);h.setAttribute('x2',x);});
             var best=null;
             for(var i=0;i<ms.length;i++){if(parseFloat(ms[i].dataset.t)<=t+0.05)best=ms[i];}
             if(best!==cur){if(cur)cur.classList.remove('current');cur=best;
              if(cur){cur.classList.add('current');cur.scrollIntoView({block:'nearest'});}}
            }
            function seek(t){
             t=Math.max(0,Math.min(total,t));
             document.body.setAttribute('data-seeked',t.toFixed(3));
             if(p){p.currentTime=t;var q=p.play();if(q&&q.catch)q.catch(function(){});}
             show(t);
            }
            if(p){p.addEventListener('timeupdate',function(){show(p.currentTime);});
             p.addEventListener('seeked',function(){show(p.currentTime);});}
            ms.forEach(function(m){m.addEventListener('click',function(){seek(parseFloat(m.dataset.t));});});
            document.querySelectorAll('.turn').forEach(function(g){g.addEventListener('click',function(){seek(parseFloat(g.dataset.t));});});
            document.querySelectorAll('.seekable').forEach(function(s){s.addEventListener('click',function(ev){
             var r=s.getBoundingClientRect();seek((ev.clientX-r.left)/r.width*total);});});
            window.parleySeek=seek;
            })();
            """.replace("%d", Integer.toString(W));
}
