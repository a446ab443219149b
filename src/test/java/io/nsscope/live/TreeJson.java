package io.nsscope.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Finding a namespace in the JSON of {@code GET /trees/{type}} (its {@code roots}, each node's {@code children}). */
final class TreeJson {

    private TreeJson() {}

    /** The inodes from a root down to the node of this inode, or an empty list if the tree does not have it. */
    static List<Long> pathTo(JsonNode tree, long ns) {
        for (JsonNode root : tree.get("roots")) {
            List<Long> path = new ArrayList<>();
            if (find(root, ns, path)) {
                return path;
            }
        }
        return List.of();
    }

    static boolean find(JsonNode node, long ns, List<Long> path) {
        path.add(node.get("ns").asLong());
        if (node.get("ns").asLong() == ns) {
            return true;
        }
        for (JsonNode child : node.get("children")) {
            if (find(child, ns, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        return false;
    }

    static JsonNode node(JsonNode tree, long ns) {
        List<JsonNode> found = new ArrayList<>();
        collect(tree.get("roots"), ns, found);
        assertEquals(1, found.size(), "ns " + ns + " appears once in the tree");
        return found.get(0);
    }

    static void collect(JsonNode nodes, long ns, List<JsonNode> found) {
        for (JsonNode n : nodes) {
            if (n.get("ns").asLong() == ns) {
                found.add(n);
            }
            collect(n.get("children"), ns, found);
        }
    }
}
