package io.nsscope.web;

import io.nsscope.web.text.PlainText;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * What {@code GET /trees/{type}} answers: the process tree grouped by namespace ({@code by=process},
 * {@link TreeView}) or the namespaces nested by parent or owner ({@code by=parent|owner}, {@link NamespaceTreeView}).
 */
@Schema(
        description = "by=process: the process tree grouped by namespace (TreeView); by=parent or by=owner: the "
                + "namespaces nested by parent or owning user namespace (NamespaceTreeView).",
        oneOf = {TreeView.class, NamespaceTreeView.class})
sealed interface TreeAnswer extends PlainText permits TreeView, NamespaceTreeView {}
