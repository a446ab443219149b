package io.nsscope.jna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The thread namespace changes run on, as any user (what needs root: {@link NamespacesLiveIT}). */
class ThrowawayThreadTest {

    @Test
    void throwawayThreadRethrowsTheTasksFailure() {
        assertThatThrownBy(() -> ThrowawayThread.call("t", () -> {
                    throw new SyscallException("setns", 1);
                }))
                .isInstanceOf(SyscallException.class)
                .hasMessageContaining("EPERM");
    }

    @Test
    void theTaskRunsOnAThreadOfItsOwnThatIsGoneWhenCallReturns() {
        int mine = Processes.gettid();
        int theirs = ThrowawayThread.call("t", Processes::gettid);
        assertThat(theirs).isNotEqualTo(mine);
        assertThat(Path.of("/proc/self/task/" + theirs)).doesNotExist();
    }
}
