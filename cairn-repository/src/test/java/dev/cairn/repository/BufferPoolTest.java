package dev.cairn.repository;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void allocatesAtLeastTheDefaultSize() {
        BufferPool pool = new BufferPool(100, 2);

        assertThat(pool.take(10)).hasSize(100);
        assertThat(pool.take(150)).hasSize(150);
    }

    @Test
    void reusesAReturnedBufferThatIsLargeEnough() {
        BufferPool pool = new BufferPool(100, 2);
        byte[] a = pool.take(100);
        pool.give(a);

        assertThat(pool.take(80)).isSameAs(a);
        assertThat(pool.kept()).isZero();
    }

    @Test
    void keepsAtMostItsCapacity() {
        BufferPool pool = new BufferPool(10, 2);
        pool.give(new byte[10]);
        pool.give(new byte[10]);
        pool.give(new byte[10]);

        assertThat(pool.kept()).isEqualTo(2);
    }

    @Test
    void aTooLargeRequestWhenFullReplacesTheSmallestKeptBuffer() {
        BufferPool pool = new BufferPool(10, 2);
        byte[] small = new byte[10];
        byte[] medium = new byte[20];
        pool.give(small);
        pool.give(medium);

        byte[] big = pool.take(30);
        assertThat(big).hasSize(30);
        assertThat(pool.kept()).isEqualTo(1);
        pool.give(big);

        // The small one went; what is kept now serves the larger requests.
        assertThat(pool.take(20)).isIn(medium, big);
        assertThat(pool.take(20)).isIn(medium, big);
        assertThat(pool.kept()).isZero();
    }

    @Test
    void aTooLargeRequestWithRoomLeftKeepsTheSmallerBuffers() {
        BufferPool pool = new BufferPool(10, 3);
        byte[] small = new byte[10];
        pool.give(small);

        assertThat(pool.take(30)).hasSize(30);
        assertThat(pool.take(5)).isSameAs(small);
    }
}
