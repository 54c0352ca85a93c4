package io.trunkline.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * CPU time and resident memory of one process, or of a process tree (PostgreSQL's server and its backends),
 * from {@code /proc}: {@code utime + stime} (and {@code cutime + cstime}, the children it has reaped) of
 * {@code /proc/<pid>/stat}; {@code VmHWM} and {@code VmRSS} of {@code /proc/<pid>/status} for one process, the
 * sum of {@code Pss} ({@code /proc/<pid>/smaps_rollup}, shared memory divided among its sharers) for a tree.
 */
final class ProcessMeter {

    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    private final String name;
    private final long pid;
    /** A process tree: every process whose command line names this, with its descendants; null for one pid. */
    private final String treeMarker;

    private ProcessMeter(String name, long pid, String treeMarker) {
        this.name = name;
        this.pid = pid;
        this.treeMarker = treeMarker;
    }

    /** The whole machine: every CPU's busy time (all but idle and iowait of {@code /proc/stat}). */
    static ProcessMeter machine(String name) {
        return new ProcessMeter(name, 0, null);
    }

    static ProcessMeter of(String name, long pid) {
        return new ProcessMeter(name, pid, null);
    }

    /** The processes whose command line contains {@code marker} (e.g. a data directory) and all their descendants. */
    static ProcessMeter tree(String name, String marker) {
        return new ProcessMeter(name, -1, marker);
    }

    String name() {
        return name;
    }

    /** CPU time used so far, in milliseconds (a tree: its live processes and what they reaped). */
    long cpuMillis() {
        if (pid == 0) {
            return machineBusyTicks() * 1000 / TICKS_PER_SECOND;
        }
        long ticks = 0;
        for (long each : pids()) {
            long[] stat = stat(each);
            if (stat != null) {
                ticks += stat[0] + stat[1] + stat[2] + stat[3];
            }
        }
        return ticks * 1000 / TICKS_PER_SECOND;
    }

    /** The peak resident memory (one process: VmHWM) or, for a tree, its summed proportional set size now, in kB. */
    long peakKb() {
        if (pid == 0) {
            return 0;
        }
        return treeMarker == null ? status(pid, "VmHWM:") : pssKb();
    }

    /** The resident memory now (one process: VmRSS; a tree: summed Pss), in kB. */
    long residentKb() {
        if (pid == 0) {
            return 0;
        }
        return treeMarker == null ? status(pid, "VmRSS:") : pssKb();
    }

    private long pssKb() {
        long total = 0;
        for (long each : pids()) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(each), "smaps_rollup"))) {
                    if (line.startsWith("Pss:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process ended meanwhile
            }
        }
        return total;
    }

    private List<Long> pids() {
        if (treeMarker == null) {
            return List.of(pid);
        }
        List<long[]> all = new ArrayList<>(); // pid, parent pid
        Set<Long> members = new HashSet<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : proc) {
                long each = Long.parseLong(dir.getFileName().toString());
                long[] stat = stat(each);
                if (stat == null) {
                    continue;
                }
                all.add(new long[] {each, stat[4]});
                try {
                    String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline"))).replace('\0', ' ');
                    if (cmdline.contains(treeMarker) && !cmdline.contains(" -cp ") && !cmdline.contains("java")) {
                        members.add(each);
                    }
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (long[] process : all) {
                if (!members.contains(process[0]) && members.contains(process[1])) {
                    members.add(process[0]);
                    grew = true;
                }
            }
        }
        return List.copyOf(members);
    }

    private static long machineBusyTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime, stime, cutime, cstime, ppid; null when the process is gone. */
    private static long[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state (field 3); utime is field 14, so fields[11]
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
                    Long.parseLong(fields[14]), Long.parseLong(fields[1])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long status(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }
}
