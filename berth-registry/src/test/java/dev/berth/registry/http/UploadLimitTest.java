package dev.berth.registry.http;

import dev.berth.registry.ErrorCode;
import dev.berth.registry.RegistryException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cap on uploads in flight, without the timing of real slow clients (an end-to-end version
 * depended on when the server had read the slow requests' first bytes, and was flaky under load).
 */
class UploadLimitTest {
    @Test
    void anUploadBeyondTheCapIsRefusedNamingTheSettingAndASlotComesBackWhenOneEnds() {
        UploadLimit limit = new UploadLimit(2);
        UploadLimit.Slot first = limit.acquire();
        UploadLimit.Slot second = limit.acquire();
        assertThatThrownBy(limit::acquire).isInstanceOfSatisfying(RegistryException.class, refused -> {
            assertThat(refused.errorCode()).isEqualTo(ErrorCode.TOOMANYREQUESTS);
            assertThat(refused.getMessage()).contains("max-uploads = 2").contains("retry in 2 s");
        });
        first.close();
        first.close(); // closing twice gives back one slot, not two
        limit.acquire().close();
        UploadLimit.Slot third = limit.acquire();
        assertThatThrownBy(limit::acquire).isInstanceOf(RegistryException.class);
        second.close();
        third.close();
    }
}
