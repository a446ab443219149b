package io.nsscope.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.nsscope.web.text.PlainText;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * The answer of {@code GET /namespaces}: like {@code lsns -J -l --output-all}.
 *
 * @param namespaces the namespaces, by ascending {@code ns}
 * @param snapshot   the scan they come from
 * @param net        whether net namespaces were asked for by type: the text table then has lsns's NETNSID and NSFS
 */
@Schema(description = "Namespaces of the host, like `lsns -J -l --output-all`, sorted by ns.")
public record NamespaceList(
        @Schema(description = "The namespaces that match the filters, sorted by inode.")
        List<NamespaceView> namespaces,

        @Schema(description = "The scan that answered.") SnapshotInfo snapshot,
        @JsonIgnore @Schema(hidden = true) boolean net)
        implements PlainText {

    @Override
    public String toPlainText() {
        return LsnsTable.render(namespaces, net);
    }
}
