package hostile

// crcCombine returns the CRC-32 (IEEE) of A followed by B from the CRC-32
// of A, that of B and the length of B, as zlib's crc32_combine does: by
// applying len2 zero bytes to crc1 with a matrix over GF(2).
func crcCombine(crc1, crc2 uint32, len2 int64) uint32 {
	if len2 <= 0 {
		return crc1
	}
	var even, odd [32]uint32
	odd[0] = 0xedb88320 // the reversed IEEE polynomial
	row := uint32(1)
	for n := 1; n < 32; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four zero bits
	for {
		gf2Square(&even, &odd)
		if len2&1 != 0 {
			crc1 = gf2Times(&even, crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
		gf2Square(&odd, &even)
		if len2&1 != 0 {
			crc1 = gf2Times(&odd, crc1)
		}
		len2 >>= 1
		if len2 == 0 {
			break
		}
	}
	return crc1 ^ crc2
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range 32 {
		square[n] = gf2Times(mat, mat[n])
	}
}

// crcRepeat returns the CRC-32 of reps copies of a unit of n bytes whose
// CRC-32 is c.
func crcRepeat(c uint32, n, reps int64) uint32 {
	var out uint32
	pow, powLen := c, n
	for reps > 0 {
		if reps&1 != 0 {
			out = crcCombine(out, pow, powLen)
		}
		pow = crcCombine(pow, pow, powLen)
		powLen *= 2
		reps >>= 1
	}
	return out
}
