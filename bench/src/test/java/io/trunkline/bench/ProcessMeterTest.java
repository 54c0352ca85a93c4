package io.trunkline.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class ProcessMeterTest {

    @Test
    void readsThisProcessCpuTimeAndMemoryFromProc() {
        ProcessMeter self = ProcessMeter.of("test JVM", ProcessHandle.current().pid());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = self.cpuMillis();
        long until = threads.getCurrentThreadCpuTime() + 300_000_000L;
        long spin = 0;
        while (threads.getCurrentThreadCpuTime() < until) {
            spin += System.nanoTime() % 7; // 300 ms of this thread's CPU time, however busy the machine is
        }

        assertThat(spin).isPositive();
        // at least this thread's 300 ms (less one clock tick of /proc's 10 ms each side), plus what other threads did
        assertThat(self.cpuMillis() - before).as("CPU ms used by 300 ms of busy loop").isBetween(280L, 5_000L);
        long resident = self.residentKb();
        assertThat(resident).isPositive();
        assertThat(self.peakKb()).as("the peak, read after the resident size").isGreaterThanOrEqualTo(resident);
    }

    @Test
    void theMachineIsBusyAtLeastAsLongAsThisProcess() {
        ProcessMeter machine = ProcessMeter.machine("whole machine");
        ProcessMeter self = ProcessMeter.of("test JVM", ProcessHandle.current().pid());
        long machineBefore = machine.cpuMillis();
        long selfBefore = self.cpuMillis();
        long until = System.nanoTime() + 200_000_000L;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }

        assertThat(machine.cpuMillis() - machineBefore).isGreaterThanOrEqualTo(self.cpuMillis() - selfBefore - 20);
    }

    @Test
    void aTreeWithoutMembersUsesNothing() {
        ProcessMeter nobody = ProcessMeter.tree("none", "/no/such/data/directory/" + System.nanoTime());

        assertThat(nobody.cpuMillis()).isZero();
        assertThat(nobody.peakKb()).isZero();
    }
}
