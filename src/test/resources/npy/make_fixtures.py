"""Writes the NumPy-made .npy fixtures NpyTest reads. Run once (python3 make_fixtures.py) and commit the output;
the tests never run NumPy. Each array's values follow a formula the test recomputes independently."""
import numpy as np

np.save("c_f4_2x3.npy", (np.arange(6, dtype="<f4").reshape(2, 3) * np.float32(0.25)) - np.float32(0.5))
np.save("c_f8_2x3x4.npy", np.arange(24, dtype="<f8").reshape(2, 3, 4) / 7)
np.save("c_f4_1x2x3x4.npy", np.arange(24, dtype="<f4").reshape(1, 2, 3, 4))
np.save("fortran_f4_3x4.npy", np.asfortranarray(np.arange(12, dtype="<f4").reshape(3, 4)))
np.save("big_f8_2x2.npy", np.arange(4, dtype=">f8").reshape(2, 2) + 0.5)
np.save("big_fortran_f4_2x3x4x5.npy", np.asfortranarray(np.arange(120, dtype=">f4").reshape(2, 3, 4, 5)))
np.save("f2_5.npy", np.array([1, -2, 0.5, 65504, 2.0**-24], dtype="<f2"))
np.save("scalar_f8.npy", np.array(3.25))
np.save("empty_f4_0x3.npy", np.zeros((0, 3), dtype="<f4"))
np.save("i8_3.npy", np.arange(3, dtype="<i8"))
for version in [(2, 0), (3, 0)]:
    with open("v%d_f4_3.npy" % version[0], "wb") as f:
        np.lib.format.write_array(f, np.array([1.5, -2.5, 4.0], dtype="<f4"), version=version)
