// The anchor for bench/curve-ops.sh: the host functions' work in @noble/curves on V8.
// - a 2-pair alt_bn128 check, e(aP, bQ) * e(-abP, Q) == 1, both G2 points checked (on the twist, in G2)
//   as nearcore decodes them, one shared final exponentiation;
// - one BLS12-381 map_to_curve + clear_cofactor of a field element (G1) and of an Fp2 element (G2),
//   nearcore's bls12381_map_fp_to_g1 / _fp2_to_g2 per element.
// Prints one line per operation: its name, p50 and p90 in microseconds.
import { bn254 } from '@noble/curves/bn254';
import { bls12_381 } from '@noble/curves/bls12-381';

const seconds = Number(process.argv[2] || 5);

function measure(name, op) {
  for (let i = 0; i < 20; i++) op(i); // warm-up
  const times = [];
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  for (let i = 0; process.hrtime.bigint() < end; i++) {
    const start = process.hrtime.bigint();
    op(i);
    times.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  times.sort((x, y) => x - y);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(times.length * q))].toFixed(1);
  console.log(`${name} p50_us=${at(0.5)} p90_us=${at(0.9)} n=${times.length}`);
}

const G1 = bn254.G1.ProjectivePoint, G2 = bn254.G2.ProjectivePoint, Fp12 = bn254.fields.Fp12;
const a = 123456789n, b = 987654321n;
const P1 = G1.BASE.multiply(a), Q1 = G2.BASE.multiply(b);
const P2 = G1.BASE.multiply((a * b) % bn254.params.r).negate(), Q2 = G2.BASE;
measure('alt_bn128_pairing_check_2_pairs', () => {
  Q1.assertValidity();
  Q2.assertValidity();
  if (!Fp12.eql(bn254.pairingBatch([{ g1: P1, g2: Q1 }, { g1: P2, g2: Q2 }]), Fp12.ONE)) {
    throw new Error('the 2-pair check failed');
  }
});

const p = bls12_381.fields.Fp.ORDER;
measure('bls12381_map_fp_to_g1', (i) => bls12_381.G1.mapToCurve([(BigInt(i) * 0x9e3779b97f4a7c15n + 5n) % p]));
measure('bls12381_map_fp2_to_g2', (i) =>
  bls12_381.G2.mapToCurve([(BigInt(i) * 0x9e3779b97f4a7c15n + 5n) % p, (BigInt(i) * 31n + 7n) % p]));
