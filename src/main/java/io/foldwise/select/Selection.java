package io.foldwise.select;

import java.util.List;

/**
 * The chosen grid point.
 *
 * @param index  the chosen row's position in grid order
 * @param row    the chosen row
 * @param tied   grid indices whose metric means tied with the best (within
 *               {@link Selector#TIE_TOLERANCE}), including {@code index}
 * @param reason why this point won, in a sentence
 */
public record Selection(int index, Leaderboard.Row row, List<Integer> tied, String reason) {
    public Selection {
        tied = List.copyOf(tied);
    }

    /** The chosen point. */
    public GridPoint point() {
        return row.point();
    }
}
