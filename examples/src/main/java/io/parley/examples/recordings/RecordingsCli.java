package io.parley.examples.recordings;

import io.parley.recording.EventType;
import io.parley.recording.Recording;
import io.parley.recording.RecordingAppender;
import io.parley.recording.RecordingEvent;
import io.parley.recording.RecordingException;
import io.parley.recording.RecordingMerger;
import io.parley.recording.RecordingMetadata;
import io.parley.recording.RecordingStatus;
import io.parley.recording.export.ExportFormat;
import io.parley.recording.export.ExportOptions;
import io.parley.recording.export.RecordingExporter;
import io.parley.recording.privacy.Anonymizer;
import io.parley.recording.privacy.ComplianceFramework;
import io.parley.recording.privacy.ConsentRegistry;
import io.parley.recording.privacy.FrameworkReport;
import io.parley.recording.privacy.PrivacyManager;
import io.parley.recording.privacy.Redactor;
import io.parley.recording.privacy.RetentionPolicies;
import io.parley.recording.security.KeyProvider;
import io.parley.recording.store.FileRecordingStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code recordings} command: starts, stops, lists, searches, analyses and exports recordings
 * kept in a folder. A recording started here stays open between invocations (the store remembers
 * which one is active) and collects messages given with {@code add} and tags given with {@code tag}.
 *
 * <pre>
 * recordings [--store DIR] [--key-file FILE] [--compress] [--zone ZONE] COMMAND ...
 * </pre>
 *
 * Exit status: 0 success, 1 the operation failed (e.g. unknown recording), 2 bad usage.
 */
public final class RecordingsCli {

    static final String USAGE = String.join("\n",
            "usage: recordings [--store DIR] [--key-file FILE] [--compress] [--zone ZONE] COMMAND [ARGS]",
            "  start NAME [--user ID NAME]   start recording NAME (becomes the active recording)",
            "  add user|bot|system TEXT... [--attach FILE]  add a message to the active recording",
            "  tag LABEL...                  tag the current moment of the active recording",
            "  pause | resume                pause or resume the active recording",
            "  resume NAME                   reopen an old recording and append to it",
            "  save NEWNAME                  rename the active recording",
            "  stop                          stop the active recording",
            "  list                          list saved recordings",
            "  load NAME [COUNT]             show a recording and its first COUNT messages (5)",
            "  export NAME FORMAT [DIR]      export as txt, md, json, csv, xml, html, pdf or zip",
            "  stats NAME                    statistics of a recording",
            "  tags NAME                     list the tags of a recording",
            "  goto NAME TAG                 show the conversation from a tag on",
            "  search [NAME] QUERY...        search all recordings, or one",
            "  merge NAME NAME... --output NEW  merge recordings chronologically",
            "  delete NAME                   delete a recording",
            "  auto on|off                   record automatically: add and tag go to auto_YYYY-MM-DD, one per day",
            "  anonymize NAME FORMAT [DIR]   export with names, ids and personal data replaced consistently",
            "  compliance gdpr|ccpa|hipaa    what is kept, for how long, on what basis, with the holds");

    private static final String ACTIVE = ".active";
    private static final String AUTO = ".auto";
    private static final String AUTO_PREFIX = "auto_";

    private final Clock clock;
    private final PrintStream out;
    private final PrintStream err;
    private FileRecordingStore store;
    private ZoneId zone = ZoneId.systemDefault();
    private DateTimeFormatter time;
    private DateTimeFormatter day;

    RecordingsCli(Clock clock, PrintStream out, PrintStream err) {
        this.clock = clock;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new RecordingsCli(Clock.systemUTC(), System.out, System.err).run(args));
    }

    /** Runs one command; returns the exit status. */
    int run(String[] argv) {
        List<String> args = new ArrayList<>(List.of(argv));
        try {
            Path root = Path.of(System.getProperty("user.home"), ".parley", "recordings");
            boolean compress = false;
            KeyProvider keys = null;
            while (!args.isEmpty() && args.get(0).startsWith("--")) {
                String opt = args.remove(0);
                switch (opt) {
                    case "--store" -> root = Path.of(Args.value(args, opt));
                    case "--key-file" -> keys = readKey(Path.of(Args.value(args, opt)));
                    case "--compress" -> compress = true;
                    case "--zone" -> zone = ZoneId.of(Args.value(args, opt));
                    case "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + opt);
                }
            }
            if (args.isEmpty()) {
                throw new IllegalArgumentException("no command given");
            }
            FileRecordingStore.Builder b = FileRecordingStore.builder(root).compress(compress).wallClock(clock);
            if (keys != null) {
                b.encryption(keys);
            }
            store = b.build();
            time = DateTimeFormatter.ofPattern("h:mm a", Locale.US).withZone(zone);
            day = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.US).withZone(zone);
            String cmd = args.remove(0);
            switch (cmd) {
                case "start" -> start(args);
                case "add" -> add(args);
                case "tag" -> tag(args);
                case "pause" -> pause(args);
                case "resume" -> resume(args);
                case "save" -> save(args);
                case "stop" -> stop(args);
                case "list" -> new Browsing(store, out, zone).list(args);
                case "load" -> new Browsing(store, out, zone).load(args);
                case "export" -> new Browsing(store, out, zone).export(args);
                case "stats" -> new Browsing(store, out, zone).stats(args);
                case "tags" -> new Browsing(store, out, zone).tags(args);
                case "goto" -> new Browsing(store, out, zone).gotoTag(args);
                case "search" -> new Browsing(store, out, zone).search(args);
                case "merge" -> merge(args);
                case "delete" -> delete(args);
                case "auto" -> auto(args);
                case "anonymize" -> anonymize(args);
                case "compliance" -> compliance(args);
                default -> throw new IllegalArgumentException("unknown command '" + cmd + "'");
            }
            return 0;
        } catch (RecordingException e) {
            err.println("recordings: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            err.println("recordings: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
    }

    // ---------------------------------------------------------------- recording

    private void start(List<String> a) {
        String userId = "user";
        String userName = System.getProperty("user.name", "User");
        int u = a.indexOf("--user");
        if (u >= 0) {
            if (a.size() < u + 3) {
                throw new IllegalArgumentException("--user needs an id and a name");
            }
            userId = a.get(u + 1);
            userName = a.get(u + 2);
            a.subList(u, u + 3).clear();
        }
        String name = Args.one(a, "start NAME");
        Optional<String> active = active();
        if (active.isPresent()) {
            throw new RecordingException(RecordingException.Problem.WRONG_STATE,
                    "recording '" + active.get() + "' is active; stop it first");
        }
        Instant now = clock.instant();
        RecordingMetadata m = new RecordingMetadata(name, null, userId, userName, "bot", "Bot", null, "default", now, now,
                RecordingStatus.RECORDING, 0, List.of(), false, null, 0);
        try (RecordingAppender app = RecordingAppender.create(store, m, Redactor.defaults())) {
            app.append(system("recording started", "started"));
        }
        setActive(name);
        out.println("Recording started");
        out.println("  Session: " + name);
        out.println("  Folder:  " + store.root().resolve(name));
        out.println("  Time:    " + time.format(now));
        out.println("Add messages: recordings add user|bot TEXT   Stop: recordings stop");
    }

    private void add(List<String> a) {
        if (a.size() < 2) {
            throw new IllegalArgumentException("add needs an author (user, bot or system) and text");
        }
        List<String> attachments = new ArrayList<>();
        for (int i = a.indexOf("--attach"); i >= 0; i = a.indexOf("--attach")) {
            if (i + 1 >= a.size()) {
                throw new IllegalArgumentException("--attach needs a file name or URL");
            }
            attachments.add(a.get(i + 1));
            a.subList(i, i + 2).clear();
        }
        if (a.size() < 2) {
            throw new IllegalArgumentException("add needs an author (user, bot or system) and text");
        }
        String who = a.remove(0);
        String text = String.join(" ", a);
        autoRecording();
        String name = requireActive(RecordingStatus.RECORDING, "add a message");
        try (RecordingAppender app = RecordingAppender.open(store, name, Redactor.defaults())) {
            RecordingMetadata m = app.metadata();
            Instant now = clock.instant();
            RecordingEvent e = switch (who) {
                case "user" -> RecordingEvent.of(EventType.USER_MESSAGE, now, m.userName(), m.userId(), text);
                case "bot" -> RecordingEvent.of(EventType.BOT_RESPONSE, now, m.agentName(), m.agentId(), text);
                case "system" -> RecordingEvent.of(EventType.SYSTEM_MESSAGE, now, "system", "system", text);
                default -> throw new IllegalArgumentException("author must be user, bot or system, was '" + who + "'");
            };
            RecordingEvent written = app.append(attachments.isEmpty() ? e : e.withModel(e.model(), attachments));
            app.updateMetadata(m.withStatus(RecordingStatus.RECORDING, now));
            out.println("[" + time.format(now) + "] " + written.author() + ": " + written.content()
                    + (attachments.isEmpty() ? "" : " (attachments: " + String.join(", ", attachments) + ")"));
        }
    }

    private void tag(List<String> a) {
        if (a.isEmpty()) {
            throw new IllegalArgumentException("tag needs a label");
        }
        String label = String.join(" ", a);
        autoRecording();
        String name = requireActive(RecordingStatus.RECORDING, "tag");
        Instant now = clock.instant();
        try (RecordingAppender app = RecordingAppender.open(store, name, Redactor.defaults())) {
            RecordingMetadata m = app.metadata();
            app.append(RecordingEvent.of(EventType.TAG, now, m.userName(), m.userId(), label).withCode(label));
            app.updateMetadata(m.withStatus(RecordingStatus.RECORDING, now));
        }
        out.println("Tag added: " + label + " (" + time.format(now) + ")");
        out.println("Jump to it: recordings goto " + name + " " + label);
    }

    private void pause(List<String> a) {
        Args.none(a, "pause");
        String name = requireActive(RecordingStatus.RECORDING, "pause");
        status(name, RecordingStatus.PAUSED, "recording paused", "paused");
        out.println("Recording paused: " + name);
    }

    private void resume(List<String> a) {
        if (a.isEmpty()) {
            String name = requireActive(RecordingStatus.PAUSED, "resume");
            status(name, RecordingStatus.RECORDING, "recording resumed", "resumed");
            out.println("Recording resumed: " + name);
            return;
        }
        String name = Args.one(a, "resume [NAME]");
        Optional<String> active = active();
        if (active.isPresent()) {
            throw new RecordingException(RecordingException.Problem.WRONG_STATE,
                    "recording '" + active.get() + "' is active; stop it first");
        }
        Recording before = store.load(name);
        status(name, RecordingStatus.RECORDING, "recording resumed", "resumed");
        setActive(name);
        out.println("Resumed recording: " + name);
        out.println("  Original: " + day.format(before.metadata().createdAt()) + " " + time.format(before.metadata().createdAt()));
        out.println("  Resumed:  " + day.format(clock.instant()) + " " + time.format(clock.instant()));
        out.println("  Messages so far: " + before.messages().size() + "; new messages are appended");
    }

    private void save(List<String> a) {
        String newName = Args.one(a, "save NEWNAME");
        String name = active().orElseThrow(() -> new RecordingException(RecordingException.Problem.WRONG_STATE,
                "no active recording to save; use 'recordings start NAME' first"));
        store.rename(name, newName);
        setActive(newName);
        out.println("Saved " + name + " as " + newName);
    }

    private void stop(List<String> a) {
        Args.none(a, "stop");
        String name = active().orElseThrow(() -> new RecordingException(RecordingException.Problem.WRONG_STATE,
                "no active recording to stop"));
        status(name, RecordingStatus.STOPPED, "recording stopped", "stopped");
        clearActive();
        Recording r = store.load(name);
        out.println("Recording stopped");
        out.println("  Session:  " + name);
        out.println("  Duration: " + RecordingExporter.formatDuration(r.duration()));
        out.println("  Messages: " + r.messages().size());
        out.println("  Size:     " + Browsing.size(r.sizeBytes()));
        out.println("Load: recordings load " + name);
    }

    private void status(String name, RecordingStatus status, String note, String code) {
        Instant now = clock.instant();
        try (RecordingAppender app = RecordingAppender.open(store, name, Redactor.defaults())) {
            app.append(system(note, code));
            app.updateMetadata(app.metadata().withStatus(status, now));
        }
    }

    private void auto(List<String> a) {
        String v = Args.one(a, "auto on|off");
        Path marker = store.root().resolve(AUTO);
        try {
            switch (v) {
                case "on" -> {
                    Files.writeString(marker, "on", StandardCharsets.UTF_8);
                    out.println("Auto-recording enabled");
                    out.println("  Every message and tag is recorded; one recording per day: " + autoName());
                }
                case "off" -> {
                    Files.deleteIfExists(marker);
                    Optional<String> active = active().filter(n -> n.startsWith(AUTO_PREFIX));
                    if (active.isPresent()) {
                        status(active.get(), RecordingStatus.STOPPED, "auto-recording turned off", "stopped");
                        clearActive();
                        out.println("Stopped " + active.get());
                    }
                    out.println("Auto-recording disabled");
                }
                default -> throw new IllegalArgumentException("auto takes 'on' or 'off', was '" + v + "'");
            }
        } catch (IOException e) {
            throw new RecordingException(RecordingException.Problem.IO, "cannot change auto-recording: " + e.getMessage(), e);
        }
    }

    /**
     * With auto-recording on, makes today's auto recording the active one: the previous day's is
     * stopped, today's is created or reopened. Does nothing when auto-recording is off.
     */
    private void autoRecording() {
        if (!Files.exists(store.root().resolve(AUTO))) {
            return;
        }
        String today = autoName();
        Optional<String> active = active();
        if (active.filter(today::equals).isPresent()) {
            return;
        }
        if (active.isPresent() && active.get().startsWith(AUTO_PREFIX)) {
            status(active.get(), RecordingStatus.STOPPED, "day ended; recording continues in " + today, "rollover");
            clearActive();
            out.println("Stopped " + active.get());
        } else if (active.isPresent()) {
            return;
        }
        Instant now = clock.instant();
        if (store.exists(today)) {
            status(today, RecordingStatus.RECORDING, "recording resumed (auto)", "resumed");
        } else {
            RecordingMetadata m = new RecordingMetadata(today, null, "user", System.getProperty("user.name", "User"),
                    "bot", "Bot", null, "default", now, now, RecordingStatus.RECORDING, 0, List.of(), false, null, 0);
            try (RecordingAppender app = RecordingAppender.create(store, m, Redactor.defaults())) {
                app.append(system("recording started (auto)", "started"));
            }
            out.println("New session started: " + today);
        }
        setActive(today);
    }

    private String autoName() {
        return AUTO_PREFIX + day.format(clock.instant());
    }

    private void anonymize(List<String> a) {
        if (a.size() < 2 || a.size() > 3) {
            throw new IllegalArgumentException("anonymize needs NAME FORMAT [DIR]");
        }
        Recording r = Anonymizer.withSecret(anonymizationSecret()).anonymize(store.load(a.get(0)));
        Path dir = a.size() == 3 ? Path.of(a.get(2)) : Path.of(".");
        Path file = RecordingExporter.create(ExportOptions.defaults().withZone(zone)).export(r, ExportFormat.parse(a.get(1)), dir);
        out.println("Exported " + r.name() + " anonymized to " + file);
    }

    /** The store's pseudonymisation secret, created on first use, so pseudonyms agree across exports. */
    private byte[] anonymizationSecret() {
        Path f = store.root().resolve(".anonymization-secret");
        try {
            if (!Files.exists(f)) {
                byte[] fresh = new byte[32];
                new java.security.SecureRandom().nextBytes(fresh);
                Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
                Files.write(tmp, fresh);
                Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new RecordingException(RecordingException.Problem.IO, "cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private void compliance(List<String> a) {
        ComplianceFramework f = ComplianceFramework.parse(Args.one(a, "compliance gdpr|ccpa|hipaa"));
        PrivacyManager pm = new PrivacyManager(store, ConsentRegistry.open(store.root().resolve(".consents.json"), clock),
                RetentionPolicies.defaults(), clock);
        FrameworkReport report = pm.complianceReport(f);
        out.print(report.toText());
    }

    private void merge(List<String> a) {
        int o = a.indexOf("--output");
        if (o < 0 || o != a.size() - 2) {
            throw new IllegalArgumentException("usage: merge NAME NAME... --output NEW");
        }
        String output = a.get(o + 1);
        List<String> names = a.subList(0, o);
        out.println("Merging recordings...");
        for (String n : names) {
            out.println("  " + n + ": " + store.load(n).messages().size() + " messages");
        }
        RecordingMerger.merge(store, names, output);
        out.println("Merged into " + output + " (" + store.load(output).messages().size() + " messages, chronologically sorted)");
    }

    private void delete(List<String> a) {
        String name = Args.one(a, "delete NAME");
        if (active().filter(name::equals).isPresent()) {
            throw new RecordingException(RecordingException.Problem.WRONG_STATE, "recording '" + name + "' is active; stop it first");
        }
        store.delete(name);
        out.println("Deleted " + name);
    }

    // ---------------------------------------------------------------- helpers

    private RecordingEvent system(String text, String code) {
        return RecordingEvent.of(EventType.SYSTEM_MESSAGE, clock.instant(), "system", "system", text).withCode(code);
    }

    private String requireActive(RecordingStatus wanted, String action) {
        String name = active().orElseThrow(() -> new RecordingException(RecordingException.Problem.WRONG_STATE,
                "no active recording to " + action + "; use 'recordings start NAME' first"));
        RecordingStatus status = store.load(name).metadata().status();
        if (status != wanted) {
            throw new RecordingException(RecordingException.Problem.WRONG_STATE, "cannot " + action + ": recording '"
                    + name + "' is " + status.name().toLowerCase(Locale.ROOT));
        }
        return name;
    }

    private Optional<String> active() {
        Path f = store.root().resolve(ACTIVE);
        try {
            if (!Files.exists(f)) {
                return Optional.empty();
            }
            String name = Files.readString(f, StandardCharsets.UTF_8).strip();
            return store.exists(name) ? Optional.of(name) : Optional.empty();
        } catch (IOException e) {
            throw new RecordingException(RecordingException.Problem.IO, "cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private void setActive(String name) {
        try {
            Files.writeString(store.root().resolve(ACTIVE), name, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RecordingException(RecordingException.Problem.IO, "cannot write the active recording marker: " + e.getMessage(), e);
        }
    }

    private void clearActive() {
        try {
            Files.deleteIfExists(store.root().resolve(ACTIVE));
        } catch (IOException e) {
            throw new RecordingException(RecordingException.Problem.IO, "cannot clear the active recording marker: " + e.getMessage(), e);
        }
    }

    private static KeyProvider readKey(Path file) {
        try {
            byte[] raw = Files.readAllBytes(file);
            if (raw.length != 32) {
                raw = Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).strip());
            }
            return KeyProvider.of("cli", Map.of("cli", raw));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read key file " + file + ": " + e.getMessage());
        }
    }

}
