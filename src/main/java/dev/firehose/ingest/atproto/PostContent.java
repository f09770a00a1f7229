package dev.firehose.ingest.atproto;

import java.util.ArrayList;
import java.util.List;

/**
 * What a post takes from its record, every field within its cap: the part that is the same whichever record key
 * and commit it is posted under, so a frame maps each record block once.
 *
 * @param textBytes     UTF-8 length of {@code text}
 * @param fieldProblems the adjustments made to fit the caps, without a path
 */
record PostContent(String text, int textBytes, String createdAt, List<String> langs, Post.Reply reply,
                   List<String> tags, List<String> mentions, List<String> links, String embed, List<String> labels,
                   List<FieldProblem> fieldProblems) {

    /** The adjustments, as made to the post at {@code path}. */
    List<FieldProblem> fieldProblemsAt(String path) {
        if (fieldProblems.isEmpty()) {
            return List.of();
        }
        List<FieldProblem> out = new ArrayList<>(fieldProblems.size());
        for (FieldProblem problem : fieldProblems) {
            out.add(problem.at(path));
        }
        return out;
    }
}
