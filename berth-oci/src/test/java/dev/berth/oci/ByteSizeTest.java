package dev.berth.oci;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ByteSizeTest {
    @Test
    void sizesAreBinaryWithOrWithoutIAndB() {
        assertThat(ByteSize.parse("16G")).contains(16L << 30);
        assertThat(ByteSize.parse("16GiB")).contains(16L << 30);
        assertThat(ByteSize.parse("16gb")).contains(16L << 30);
        assertThat(ByteSize.parse("1.5T")).contains(3L << 39);
        assertThat(ByteSize.parse("512m")).contains(512L << 20);
        assertThat(ByteSize.parse(" 4 KB ")).contains(4096L);
    }

    @Test
    void bytesAreCountedWithBAndZeroNeedsNoUnit() {
        assertThat(ByteSize.parse("1B")).contains(1L);
        assertThat(ByteSize.parse("0")).contains(0L);
        assertThat(ByteSize.parse("16")).isEmpty();
        assertThat(ByteSize.parse("lots")).isEmpty();
        assertThat(ByteSize.parse("-1G")).isEmpty();
    }

    @Test
    void sizesArePrintedInTheLargestBinaryUnitThatLeavesAtLeastOne() {
        assertThat(ByteSize.format(1023)).isEqualTo("1023 B");
        assertThat(ByteSize.format(1024)).isEqualTo("1.0 KiB");
        assertThat(ByteSize.format((16L << 30) + (1L << 29))).isEqualTo("16.5 GiB");
        assertThat(ByteSize.format(64L << 50)).isEqualTo("64.0 PiB");
    }
}
