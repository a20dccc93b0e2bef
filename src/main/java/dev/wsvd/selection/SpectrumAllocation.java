package dev.wsvd.selection;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ranks for every layer from predicted errors, under a model cost budget: the spectrum selection's allocation.
 *
 * <p>Each layer offers a list of allowed ranks (ascending, each with its cost and predicted error) and the
 * option to stay unsplit (its original cost, error 0). The allocation minimises the summed predicted error
 * subject to {@code otherCost + Σ cost_l ≤ budget}, where {@code budget} is the largest whole cost whose ratio to
 * the model's original cost does not exceed the target:
 * <ol>
 *   <li><b>Lagrangian</b>: for a multiplier λ every layer independently picks the option minimising
 *       {@code err + λ·cost}; λ is bisected (on a log scale) to the smallest value whose total cost fits. That
 *       point is optimal among all choices costing no more than it does (the standard Lagrangian argument), but
 *       it can sit well below the budget, since the total cost moves in steps as λ moves;</li>
 *   <li><b>fill</b>: the leftover budget is spent greedily, each step moving one layer to a higher option (a
 *       larger rank, or unsplit) with the best error decrease per unit of cost among the moves that still fit,
 *       until none fits. The result never exceeds the budget;</li>
 *   <li><b>exchange</b>: moves of two layers at once (one to a cheaper option, another to a dearer one, or any
 *       other pair of changes) that fit the budget and lower the error, best first, each followed by another
 *       fill, until none helps. This repairs what the two steps above miss where the error curves are not
 *       convex in cost, above all the jump from the largest allowed rank to unsplit. Skipped for instances with
 *       more than {@value #EXCHANGE_LIMIT} pairs of options per pass; each layer moves at most {@value #WINDOW}
 *       options from its choice (or to unsplit);</li>
 *   <li><b>reach</b>: the least error need not spend the budget (when no single upgrade fits the slack, but
 *       the only way to spend it is to move one layer up and another down, which can add error). The target is
 *       part of the contract, so when the cost is still more than {@link #TOLERANCE} of the original below the
 *       target, the one- or two-layer move that lands in {@code [target - tolerance, target]} with the least
 *       error is taken; if none does, the one that raises the cost most within the budget, and so on; then
 *       exchanges again, now keeping the cost within the tolerance.</li>
 * </ol>
 * When even the cheapest choice of every layer exceeds the budget the target is out of reach: the result is
 * that cheapest choice, the closest reachable point, and {@link Result#reachable()} is false.
 *
 * <p>Pure arithmetic: errors are whatever the caller predicts (they need not be monotone, though real ones are).
 */
public final class SpectrumAllocation {
    /** How close to the target counts as reached (the reference's tolerance). */
    public static final double TOLERANCE = 0.001;

    /** Pairs of (layer, option) an exchange pass may look at; beyond it the exchange step is skipped. */
    static final long EXCHANGE_LIMIT = 20_000_000L;
    /**
     * How far (in options) the exchange and reach steps move a layer from its current choice, besides unsplitting
     * it, when the model has more than {@link #FULL_SEARCH_LIMIT} pairs of options: moves are then local repairs,
     * and the window keeps a pass over a large model (36 layers of ~200 ranks) at about a million pairs instead of a
     * hundred million. Smaller models are searched in full (a layer of many ranks next to one of few needs long
     * moves: the Fashion-MNIST CNN's fc1 must give up ~80 ranks for its conv2 to gain one).
     */
    static final int WINDOW = 24;
    /** Pairs of options up to which the exchange and reach steps consider every move. */
    static final long FULL_SEARCH_LIMIT = 4_000_000L;

    private SpectrumAllocation() {
    }

    /**
     * One layer's options.
     *
     * @param name         unique name
     * @param originalCost cost when unsplit, positive
     * @param ranks        allowed ranks, strictly ascending (possibly none: the layer then stays unsplit)
     * @param costs        cost of each rank, strictly ascending and below {@code originalCost}
     * @param errors       predicted error of each rank, finite and not negative (unsplit has error 0)
     */
    public record Layer(String name, long originalCost, int[] ranks, long[] costs, double[] errors) {
        public Layer {
            Objects.requireNonNull(name, "name");
            ranks = ranks.clone();
            costs = costs.clone();
            errors = errors.clone();
            if (originalCost <= 0) {
                throw new IllegalArgumentException("layer " + name + ": original cost must be positive, got " + originalCost);
            }
            if (ranks.length != costs.length || ranks.length != errors.length) {
                throw new IllegalArgumentException("layer " + name + ": " + ranks.length + " ranks, " + costs.length + " costs and "
                        + errors.length + " errors; give one of each per rank");
            }
            for (int i = 0; i < ranks.length; i++) {
                if (i > 0 && (ranks[i] <= ranks[i - 1] || costs[i] <= costs[i - 1])) {
                    throw new IllegalArgumentException("layer " + name + ": ranks and their costs must be strictly ascending");
                }
                if (costs[i] <= 0 || costs[i] >= originalCost) {
                    throw new IllegalArgumentException("layer " + name + ": rank " + ranks[i] + " costs " + costs[i]
                            + ", which must be positive and below the unsplit cost " + originalCost);
                }
                if (!(errors[i] >= 0) || Double.isInfinite(errors[i])) {
                    throw new IllegalArgumentException("layer " + name + ": the error of rank " + ranks[i] + " must be finite and"
                            + " not negative, got " + errors[i]);
                }
            }
        }

        /** Options: 0..ranks-1 are the ranks, {@code ranks.length} is unsplit. */
        int options() {
            return ranks.length + 1;
        }

        long cost(int option) {
            return option == ranks.length ? originalCost : costs[option];
        }

        double error(int option) {
            return option == ranks.length ? 0 : errors[option];
        }
    }

    /**
     * The allocation.
     *
     * @param ranks           layer name &rarr; rank to split at, for the layers split; the others stay unsplit
     * @param cost            the model's cost with these ranks (the other cost included)
     * @param originalCost    the model's original cost
     * @param budget          the largest cost allowed by the target
     * @param targetRatio     the ratio asked for
     * @param predictedError  the summed predicted error of the choice
     * @param lagrangianCost  the model's cost at the Lagrangian point, before the fill
     * @param reachMoves      moves the reach step made to bring the cost within the tolerance of the target (0 when
     *                        the least-error choice was already there)
     * @param reachable       whether some choice fits the budget; if not, the result is the cheapest choice
     */
    public record Result(Map<String, Integer> ranks, long cost, long originalCost, long budget, double targetRatio,
                         double predictedError, long lagrangianCost, int reachMoves, boolean reachable) {
        public Result {
            ranks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ranks));
        }

        /** The model's cost ratio reached. */
        public double modelRatio() {
            return (double) cost / originalCost;
        }

        /** Whether the ratio is within {@link #TOLERANCE} of the target (it is never above it when reachable). */
        public boolean targetMet() {
            return reachable && targetRatio - modelRatio() <= TOLERANCE + 1e-12;
        }
    }

    /**
     * Allocates ranks to reach {@code targetRatio} of the model's original cost.
     *
     * @param layers      the candidate layers, names unique
     * @param otherCost   the cost of everything that is never split (counted in the model's cost)
     * @param targetRatio wanted model cost after / before, in (0, 1]
     */
    public static Result allocate(List<Layer> layers, long otherCost, double targetRatio) {
        Objects.requireNonNull(layers, "layers");
        if (!(targetRatio > 0 && targetRatio <= 1)) {
            throw new IllegalArgumentException("target ratio must be in (0, 1], got " + targetRatio);
        }
        if (otherCost < 0) {
            throw new IllegalArgumentException("the cost of the other layers must not be negative, got " + otherCost);
        }
        if (layers.stream().map(Layer::name).distinct().count() != layers.size()) {
            throw new IllegalArgumentException("layer names must be unique");
        }
        Layer[] all = layers.toArray(Layer[]::new);
        long original = otherCost;
        for (Layer layer : all) {
            original = Math.addExact(original, layer.originalCost());
        }
        if (original == 0) {
            throw new IllegalArgumentException("the model has no cost to reduce");
        }
        // the largest whole cost whose ratio does not exceed the target, in exact arithmetic
        long budget = new BigDecimal(targetRatio).multiply(BigDecimal.valueOf(original)).setScale(0, RoundingMode.FLOOR)
                .longValueExact();

        int[] cheapest = cheapest(all);
        if (total(all, cheapest, otherCost) > budget) {
            return result(all, cheapest, otherCost, original, budget, targetRatio, total(all, cheapest, otherCost), 0, false);
        }
        int[] choice = lagrangian(all, otherCost, budget);
        long lagrangianCost = total(all, choice, otherCost);
        fill(all, choice, otherCost, budget);
        exchange(all, choice, otherCost, Long.MIN_VALUE, budget);
        long lowest = new BigDecimal(targetRatio).subtract(BigDecimal.valueOf(TOLERANCE)).multiply(BigDecimal.valueOf(original))
                .setScale(0, RoundingMode.CEILING).longValueExact();
        int moves = reach(all, choice, otherCost, lowest, budget);
        if (moves > 0) {
            // the reach step moved greedily; exchanges that keep the cost where it now is may undo some of its error
            exchange(all, choice, otherCost, Math.min(lowest, total(all, choice, otherCost)), budget);
        }
        return result(all, choice, otherCost, original, budget, targetRatio, lagrangianCost, moves, true);
    }

    /** The choice at the smallest multiplier (within bisection precision) whose total cost fits the budget. */
    private static int[] lagrangian(Layer[] layers, long otherCost, long budget) {
        double fits = 1;
        int guard = 0;
        while (total(layers, choose(layers, fits), otherCost) > budget) {
            fits *= 4;
            if (++guard > 250) {
                // errors so large relative to costs that no multiplier this side of overflow separates them
                return cheapest(layers);
            }
        }
        double over = fits;
        guard = 0;
        while (total(layers, choose(layers, over), otherCost) <= budget) {
            over /= 4;
            if (++guard > 250) {
                return choose(layers, over); // even λ → 0 fits: the target leaves room for the least error
            }
        }
        for (int iteration = 0; iteration < 200; iteration++) {
            double middle = Math.sqrt(over * fits);
            if (!(middle > over && middle < fits)) {
                break;
            }
            if (total(layers, choose(layers, middle), otherCost) <= budget) {
                fits = middle;
            } else {
                over = middle;
            }
        }
        return choose(layers, fits);
    }

    /** Every layer at its cheapest option: the smallest allowed rank, or unsplit when it has none. */
    private static int[] cheapest(Layer[] layers) {
        return new int[layers.length]; // option 0 is the smallest rank, or unsplit for a layer without ranks
    }

    /** Each layer's option minimising {@code error + λ·cost}; ties go to the cheaper option. */
    private static int[] choose(Layer[] layers, double lambda) {
        int[] choice = new int[layers.length];
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            double best = Double.POSITIVE_INFINITY;
            int arg = layer.options() - 1;
            for (int option = 0; option < layer.options(); option++) {
                double value = layer.error(option) + lambda * layer.cost(option);
                if (value < best) {
                    best = value;
                    arg = option;
                }
            }
            choice[l] = arg;
        }
        return choice;
    }

    /** Spends the slack: upgrades with the best error decrease per unit of cost that still fit, until none does. */
    private static void fill(Layer[] layers, int[] choice, long otherCost, long budget) {
        while (true) {
            long slack = budget - total(layers, choice, otherCost);
            double bestGain = 0;
            int bestLayer = -1;
            int bestOption = -1;
            for (int l = 0; l < layers.length; l++) {
                Layer layer = layers[l];
                long now = layer.cost(choice[l]);
                double error = layer.error(choice[l]);
                for (int option = choice[l] + 1; option < layer.options(); option++) {
                    long extra = layer.cost(option) - now;
                    if (extra > slack) {
                        break; // costs only grow with the option
                    }
                    double decrease = error - layer.error(option);
                    double gain = decrease / extra;
                    if (decrease > 0 && gain > bestGain) {
                        bestGain = gain;
                        bestLayer = l;
                        bestOption = option;
                    }
                }
            }
            if (bestLayer < 0) {
                return;
            }
            choice[bestLayer] = bestOption;
        }
    }

    /**
     * Best-first two-layer moves that fit, keep the cost at or above {@code floor} and lower the error, each followed
     * by a fill; see the class comment.
     */
    private static void exchange(Layer[] layers, int[] choice, long otherCost, long floor, long budget) {
        int window = window(layers);
        long options = 0;
        for (Layer layer : layers) {
            options += Math.min(layer.options(), 2L * window + 2);
        }
        if (options * options > EXCHANGE_LIMIT) {
            return;
        }
        for (int pass = 0; pass < 200; pass++) { // each pass lowers the error; the cap bounds the time on large instances
            long slack = budget - total(layers, choice, otherCost);
            double bestDecrease = 1e-12;
            int firstLayer = -1;
            int firstOption = -1;
            int secondLayer = -1;
            int secondOption = -1;
            for (int l = 0; l < layers.length; l++) {
                for (int a = 0; a < layers[l].options(); a++) {
                    if (a == choice[l] || outsideWindow(layers[l], choice[l], a, window)) {
                        continue;
                    }
                    long extra = layers[l].cost(a) - layers[l].cost(choice[l]);
                    double decrease = layers[l].error(choice[l]) - layers[l].error(a);
                    for (int k = l + 1; k < layers.length; k++) {
                        for (int b = 0; b < layers[k].options(); b++) {
                            if (b == choice[k] || outsideWindow(layers[k], choice[k], b, window)) {
                                continue;
                            }
                            long both = extra + layers[k].cost(b) - layers[k].cost(choice[k]);
                            double total = decrease + layers[k].error(choice[k]) - layers[k].error(b);
                            if (both <= slack && budget - slack + both >= floor && total > bestDecrease) {
                                bestDecrease = total;
                                firstLayer = l;
                                firstOption = a;
                                secondLayer = k;
                                secondOption = b;
                            }
                        }
                    }
                }
            }
            if (firstLayer < 0) {
                return;
            }
            choice[firstLayer] = firstOption;
            choice[secondLayer] = secondOption;
            fill(layers, choice, otherCost, budget);
        }
    }

    /** Brings the cost into {@code [lowest, budget]} by the least-error moves; see the class comment. */
    private static int reach(Layer[] layers, int[] choice, long otherCost, long lowest, long budget) {
        int window = window(layers);
        int step = 0;
        for (; step < 100; step++) {
            long cost = total(layers, choice, otherCost);
            if (cost >= lowest) {
                return step;
            }
            Move inBand = null;
            Move furthest = null;
            for (int l = 0; l < layers.length; l++) {
                for (int a = 0; a < layers[l].options(); a++) {
                    if (outsideWindow(layers[l], choice[l], a, window)) {
                        continue;
                    }
                    long first = layers[l].cost(a) - layers[l].cost(choice[l]);
                    double firstError = layers[l].error(a) - layers[l].error(choice[l]);
                    Move single = new Move(l, a, -1, -1, cost + first, firstError);
                    inBand = better(inBand, single, lowest, budget);
                    furthest = further(furthest, single, cost, budget);
                    for (int k = l + 1; k < layers.length; k++) {
                        for (int b = 0; b < layers[k].options(); b++) {
                            if (outsideWindow(layers[k], choice[k], b, window)) {
                                continue;
                            }
                            long both = cost + first + layers[k].cost(b) - layers[k].cost(choice[k]);
                            if (both > budget || both <= cost) {
                                continue;
                            }
                            Move pair = new Move(l, a, k, b, both, firstError + layers[k].error(b) - layers[k].error(choice[k]));
                            inBand = better(inBand, pair, lowest, budget);
                            furthest = further(furthest, pair, cost, budget);
                        }
                    }
                }
            }
            Move move = inBand != null ? inBand : furthest;
            if (move == null) {
                return step; // nothing raises the cost within the budget: this is the closest point below
            }
            choice[move.layer()] = move.option();
            if (move.otherLayer() >= 0) {
                choice[move.otherLayer()] = move.otherOption();
            }
        }
        return step;
    }

    /** Whether {@code option} is beyond {@code window} of {@code current} (unsplit is always within reach). */
    private static boolean outsideWindow(Layer layer, int current, int option, int window) {
        return option != layer.options() - 1 && Math.abs(option - current) > window;
    }

    /** {@link #WINDOW} for a large model, no limit for one whose pairs of options fit {@link #FULL_SEARCH_LIMIT}. */
    private static int window(Layer[] layers) {
        long options = 0;
        for (Layer layer : layers) {
            options += layer.options();
        }
        return options * options <= FULL_SEARCH_LIMIT ? Integer.MAX_VALUE : WINDOW;
    }

    /** A change of one layer's option, or of two layers' ({@code otherLayer < 0} for one), and where it leads. */
    private record Move(int layer, int option, int otherLayer, int otherOption, long cost, double errorChange) {
    }

    private static Move better(Move best, Move candidate, long lowest, long budget) {
        if (candidate.cost() < lowest || candidate.cost() > budget) {
            return best;
        }
        return best == null || candidate.errorChange() < best.errorChange() ? candidate : best;
    }

    private static Move further(Move best, Move candidate, long cost, long budget) {
        if (candidate.cost() <= cost || candidate.cost() > budget) {
            return best;
        }
        return best == null || candidate.cost() > best.cost()
                || candidate.cost() == best.cost() && candidate.errorChange() < best.errorChange() ? candidate : best;
    }

    private static long total(Layer[] layers, int[] choice, long otherCost) {
        long sum = otherCost;
        for (int l = 0; l < layers.length; l++) {
            sum += layers[l].cost(choice[l]);
        }
        return sum;
    }

    private static Result result(Layer[] layers, int[] choice, long otherCost, long original, long budget, double target,
                                 long lagrangianCost, int reachMoves, boolean reachable) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        double error = 0;
        for (int l = 0; l < layers.length; l++) {
            Layer layer = layers[l];
            if (choice[l] < layer.ranks().length) {
                ranks.put(layer.name(), layer.ranks()[choice[l]]);
            }
            error += layer.error(choice[l]);
        }
        return new Result(ranks, total(layers, choice, otherCost), original, budget, target, error, lagrangianCost, reachMoves,
                reachable);
    }
}
