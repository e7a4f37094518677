package dev.berth.registry;

import dev.berth.oci.MediaType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ?n=&last=} on the tag list and the catalog: nonsense is refused with 400, a huge page is cut to size. */
class PagingParametersTest {

    @Test
    void invalidPagingParametersAre400WithAnOciErrorOnBothListings(@TempDir Path root) throws Exception {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Api api = new Api(registry.url());
            api.pushImage("paging/app", "v1", 1);
            for (String listing : List.of("/v2/paging/app/tags/list", "/v2/_catalog")) {
                for (String n : List.of("-1", "abc", "1.5", "", "0x10", "%2B5")) {
                    HttpResponse<byte[]> response = api.get(listing + "?n=" + n);
                    assertThat(response.statusCode()).as(listing + " n=" + n).isEqualTo(400);
                    assertThat(Api.errorCode(response)).isEqualTo("PAGINATION_NUMBER_INVALID");
                }
            }
            HttpResponse<byte[]> badTag = api.get("/v2/paging/app/tags/list?last=-not-a-tag");
            assertThat(badTag.statusCode()).isEqualTo(400);
            assertThat(Api.errorCode(badTag)).isEqualTo("MANIFEST_INVALID");
            assertThat(Api.text(badTag)).contains("invalid last=-not-a-tag");
            HttpResponse<byte[]> badName = api.get("/v2/_catalog?n=5&last=Not/A/Name");
            assertThat(badName.statusCode()).isEqualTo(400);
            assertThat(Api.errorCode(badName)).isEqualTo("NAME_INVALID");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAbsurdlyLargePageSizeIsClampedAndLinksToTheRest(@TempDir Path root) throws Exception {
        try (TestRegistry registry = TestRegistry.start(root)) {
            Api api = new Api(registry.url());
            byte[] manifest = api.pushImage("paging/many", "t0000", 1);
            for (int i = 1; i <= 1000; i++) {
                String tag = String.format("t%04d", i);
                assertThat(api.putManifest("paging/many", tag, MediaType.OCI_MANIFEST, manifest).statusCode()).isEqualTo(201);
            }
            HttpResponse<byte[]> page = api.get("/v2/paging/many/tags/list?n=99999999999999999999999");
            assertThat(page.statusCode()).isEqualTo(200);
            List<Object> tags = (List<Object>) Api.jsonObject(page.body()).get("tags");
            assertThat(tags).hasSize(1000).endsWith("t0999");
            assertThat(page.headers().firstValue("Link")).hasValue("</v2/paging/many/tags/list?n=1000&last=t0999>; rel=\"next\"");
            Map<String, Object> rest = Api.jsonObject(api.get("/v2/paging/many/tags/list?n=1000&last=t0999").body());
            assertThat((List<Object>) rest.get("tags")).containsExactly("t1000");
        }
    }
}
