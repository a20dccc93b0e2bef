package dev.wsvd.layer;

import dev.wsvd.linalg.Svd;
import dev.wsvd.linalg.SvdResult;
import dev.wsvd.simd.TruncationProfile;
import dev.wsvd.tensor.Tensor;

/**
 * The thin SVD of one group's reshaped weight matrix, with its truncation profile: {@code u} (rows x k),
 * {@code s} (k, descending), {@code vt} (k x cols), owned and closed together.
 */
final class GroupSvd implements AutoCloseable {
    private final SvdResult svd;
    private final TruncationProfile profile;

    GroupSvd(SvdResult svd) {
        this.svd = svd;
        this.profile = TruncationProfile.of(svd.s());
    }

    /** The engine's thin SVD of {@code matrix} (the matrix is not modified). */
    static GroupSvd thin(Tensor matrix) {
        return new GroupSvd(Svd.thin(matrix));
    }

    Tensor u() {
        return svd.u();
    }

    Tensor s() {
        return svd.s();
    }

    Tensor vt() {
        return svd.vt();
    }

    TruncationProfile profile() {
        return profile;
    }

    @Override
    public void close() {
        svd.close();
    }
}
