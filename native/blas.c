/*
 * guided-rl native kernels: a small N-API addon over the system's OpenBLAS (cblas_sgemm) plus the few
 * elementwise passes an MLP layer needs around its products (bias + activation, bias gradient, ReLU/tanh
 * derivative). Built by scripts/build-native.mjs (`npm run build:native`) with plain gcc; loaded, when
 * present, by src/nn/native.ts, which validates shapes and lengths before calling in here. The checks in
 * this file are the last line of defence against reading or writing outside a typed array: any call whose
 * extents do not fit its arrays throws a RangeError instead of touching memory.
 *
 * Every array argument is a Float32Array (possibly a view with a byte offset, possibly on a
 * WebAssembly.Memory); offsets and leading dimensions are counted in floats from the view's start.
 */
#include <node_api.h>
#include <cblas.h>
#include <pthread.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CHECK(env, call)                                                        \
  do {                                                                          \
    if ((call) != napi_ok) {                                                    \
      napi_throw_error((env), NULL, "guided-rl native: N-API call failed: " #call); \
      return NULL;                                                              \
    }                                                                           \
  } while (0)

/* A Float32Array argument: its data pointer (byte offset applied) and length in floats. */
static int get_f32(napi_env env, napi_value v, float **data, size_t *length, const char *name) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) {
    char msg[128];
    snprintf(msg, sizeof msg, "guided-rl native: %s must be a Float32Array", name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  napi_typedarray_type type;
  void *ptr = NULL;
  napi_value buffer;
  size_t byte_offset = 0;
  /* napi_get_typedarray_info's data pointer already includes the view's byte offset. */
  if (napi_get_typedarray_info(env, v, &type, length, &ptr, &buffer, &byte_offset) != napi_ok) {
    napi_throw_error(env, NULL, "guided-rl native: cannot read a typed array");
    return 0;
  }
  if (type != napi_float32_array) {
    char msg[128];
    snprintf(msg, sizeof msg, "guided-rl native: %s must be a Float32Array", name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  *data = (float *)ptr;
  return 1;
}

/* Throws "<name> must be a number" and returns 0, for the getters below. */
static int not_a_number(napi_env env, const char *name) {
  char msg[128];
  snprintf(msg, sizeof msg, "guided-rl native: %s must be a number", name);
  napi_throw_type_error(env, NULL, msg);
  return 0;
}

static int get_i64(napi_env env, napi_value v, int64_t *out, const char *name) {
  return napi_get_value_int64(env, v, out) == napi_ok ? 1 : not_a_number(env, name);
}

static int get_f64(napi_env env, napi_value v, double *out, const char *name) {
  return napi_get_value_double(env, v, out) == napi_ok ? 1 : not_a_number(env, name);
}

/* Whether a rows x cols row-major matrix with leading dimension ld starting at off fits in length floats. */
static int fits(int64_t off, int64_t rows, int64_t cols, int64_t ld, size_t length) {
  if (off < 0 || rows < 0 || cols < 0 || ld < (cols > 1 ? cols : 1)) return 0;
  if (rows == 0 || cols == 0) return off <= (int64_t)length;
  return off + (rows - 1) * ld + cols <= (int64_t)length;
}

static napi_value range_error(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return NULL;
}

/* Reads exactly n arguments into argv; otherwise throws "<fn> takes n arguments" and returns 0. */
static int get_args(napi_env env, napi_callback_info info, napi_value *argv, size_t n, const char *fn) {
  size_t argc = n;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
    napi_throw_error(env, NULL, "guided-rl native: N-API call failed: napi_get_cb_info");
    return 0;
  }
  if (argc != n) {
    char msg[128];
    snprintf(msg, sizeof msg, "guided-rl native: %s takes %zu arguments", fn, n);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

/* One product's arguments, checked. */
typedef struct {
  bool ta, tb;
  int64_t M, N, K, lda, ldb, ldc;
  float alpha, beta;
  float *A, *B, *C; /* offsets applied */
} gemm_job;

/* Reads and checks 16 arguments (transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc). */
static int parse_gemm(napi_env env, napi_value *argv, gemm_job *job) {
  int64_t aOff, bOff, cOff;
  double alpha, beta;
  size_t nA, nB, nC;
  if (napi_get_value_bool(env, argv[0], &job->ta) != napi_ok || napi_get_value_bool(env, argv[1], &job->tb) != napi_ok) {
    napi_throw_type_error(env, NULL, "guided-rl native: sgemm transA and transB must be booleans");
    return 0;
  }
  if (!get_i64(env, argv[2], &job->M, "M") || !get_i64(env, argv[3], &job->N, "N") || !get_i64(env, argv[4], &job->K, "K") ||
      !get_f64(env, argv[5], &alpha, "alpha") || !get_f32(env, argv[6], &job->A, &nA, "A") ||
      !get_i64(env, argv[7], &aOff, "aOff") || !get_i64(env, argv[8], &job->lda, "lda") ||
      !get_f32(env, argv[9], &job->B, &nB, "B") || !get_i64(env, argv[10], &bOff, "bOff") ||
      !get_i64(env, argv[11], &job->ldb, "ldb") || !get_f64(env, argv[12], &beta, "beta") ||
      !get_f32(env, argv[13], &job->C, &nC, "C") || !get_i64(env, argv[14], &cOff, "cOff") ||
      !get_i64(env, argv[15], &job->ldc, "ldc"))
    return 0;
  const int64_t M = job->M, N = job->N, K = job->K;
  if (M < 0 || N < 0 || K < 0 || M > INT32_MAX || N > INT32_MAX || K > INT32_MAX) {
    napi_throw_range_error(env, NULL, "guided-rl native: sgemm dimensions must be non-negative 32-bit integers");
    return 0;
  }
  /* Stored shapes: A is M x K (K x M when transposed), B is K x N (N x K when transposed). */
  const char *bad = !fits(aOff, job->ta ? K : M, job->ta ? M : K, job->lda, nA)   ? "guided-rl native: sgemm A is too short for its shape"
                    : !fits(bOff, job->tb ? N : K, job->tb ? K : N, job->ldb, nB) ? "guided-rl native: sgemm B is too short for its shape"
                    : !fits(cOff, M, N, job->ldc, nC)                             ? "guided-rl native: sgemm C is too short for its shape"
                                                                                   : NULL;
  if (bad) {
    napi_throw_range_error(env, NULL, bad);
    return 0;
  }
  job->A += aOff;
  job->B += bOff;
  job->C += cOff;
  job->alpha = (float)alpha;
  job->beta = (float)beta;
  return 1;
}

static void run_gemm(const gemm_job *j) {
  if (j->M == 0 || j->N == 0) return;
  if (j->K == 0) {
    /* BLAS would scale C by beta; keep that meaning without relying on every implementation's handling. */
    for (int64_t i = 0; i < j->M; i++)
      for (int64_t c = 0; c < j->N; c++) j->C[i * j->ldc + c] = j->beta == 0 ? 0.0f : j->beta * j->C[i * j->ldc + c];
    return;
  }
  cblas_sgemm(CblasRowMajor, j->ta ? CblasTrans : CblasNoTrans, j->tb ? CblasTrans : CblasNoTrans, (int)j->M, (int)j->N, (int)j->K,
              j->alpha, j->A, (int)j->lda, j->B, (int)j->ldb, j->beta, j->C, (int)j->ldc);
}

/*
 * sgemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc):
 * C = alpha op(A) op(B) + beta C, row-major; op(A) is M x K, op(B) is K x N, C is M x N.
 */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  napi_value argv[16];
  if (!get_args(env, info, argv, 16, "sgemm")) return NULL;
  gemm_job job;
  if (!parse_gemm(env, argv, &job)) return NULL;
  run_gemm(&job);
  return NULL;
}

/*
 * Two independent products at once: the second on a helper thread, the first on the calling thread, each
 * a one-thread OpenBLAS call (so each result is bit for bit the one-thread product). The helper spins a
 * little for the next job before sleeping on a condition variable, and so does the caller for the result:
 * an update issues pairs back to back, and a sleep/wake-up costs more than a short spin.
 */
static pthread_t helper;
static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;
/* One pair at a time per process (the helper has one job slot), e.g. if Node worker threads share the addon. */
static pthread_mutex_t pair_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t helper_wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t helper_done = PTHREAD_COND_INITIALIZER;
static gemm_job helper_job;
static int helper_started = 0;
static volatile int job_posted = 0; /* guarded by helper_lock; read while spinning */
static volatile int job_finished = 0;
#define SPIN_ROUNDS 2000
#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#else
#define cpu_relax() ((void)0)
#endif

static void *helper_main(void *unused) {
  (void)unused;
  for (;;) {
    for (int i = 0; i < SPIN_ROUNDS && !__atomic_load_n(&job_posted, __ATOMIC_ACQUIRE); i++) cpu_relax();
    pthread_mutex_lock(&helper_lock);
    while (!job_posted) pthread_cond_wait(&helper_wake, &helper_lock);
    gemm_job job = helper_job;
    job_posted = 0;
    pthread_mutex_unlock(&helper_lock);
    run_gemm(&job);
    pthread_mutex_lock(&helper_lock);
    __atomic_store_n(&job_finished, 1, __ATOMIC_RELEASE);
    pthread_cond_signal(&helper_done);
    pthread_mutex_unlock(&helper_lock);
  }
  return NULL;
}

/*
 * sgemmPair(16 arguments of the first product, 16 of the second): both products, concurrently. The caller
 * keeps OpenBLAS at one thread (src/nn/native.ts does) and the two products' outputs apart.
 */
static napi_value sgemm_pair(napi_env env, napi_callback_info info) {
  napi_value argv[32];
  if (!get_args(env, info, argv, 32, "sgemmPair")) return NULL;
  gemm_job first, second;
  if (!parse_gemm(env, argv, &first) || !parse_gemm(env, argv + 16, &second)) return NULL;
  pthread_mutex_lock(&pair_lock);
  if (!helper_started) {
    if (pthread_create(&helper, NULL, helper_main, NULL) != 0) {
      pthread_mutex_unlock(&pair_lock);
      napi_throw_error(env, NULL, "guided-rl native: cannot start the helper thread");
      return NULL;
    }
    pthread_detach(helper);
    helper_started = 1;
  }
  pthread_mutex_lock(&helper_lock);
  helper_job = second;
  job_finished = 0;
  __atomic_store_n(&job_posted, 1, __ATOMIC_RELEASE);
  pthread_cond_signal(&helper_wake);
  pthread_mutex_unlock(&helper_lock);
  run_gemm(&first);
  for (int i = 0; i < SPIN_ROUNDS && !__atomic_load_n(&job_finished, __ATOMIC_ACQUIRE); i++) cpu_relax();
  pthread_mutex_lock(&helper_lock);
  while (!job_finished) pthread_cond_wait(&helper_done, &helper_lock);
  pthread_mutex_unlock(&helper_lock);
  pthread_mutex_unlock(&pair_lock);
  return NULL;
}

/* Branch-free loops over restrict pointers so the compiler vectorises them (-O3). */
static void bias_act_rows(float *restrict Y, const float *restrict bias, int64_t R, int64_t N, int act) {
  for (int64_t r = 0; r < R; r++) {
    float *restrict y = Y + r * N;
    if (act == 2) {
      for (int64_t n = 0; n < N; n++) {
        float v = y[n] + bias[n];
        y[n] = v > 0.0f ? v : 0.0f;
      }
    } else {
      for (int64_t n = 0; n < N; n++) y[n] += bias[n];
      if (act == 1)
        for (int64_t n = 0; n < N; n++) y[n] = tanhf(y[n]);
    }
  }
}

static void bias_grad_rows(const float *restrict D, float *restrict g, int64_t R, int64_t N) {
  for (int64_t r = 0; r < R; r++) {
    const float *restrict d = D + r * N;
    for (int64_t n = 0; n < N; n++) g[n] += d[n];
  }
}

static void act_grad_values(float *restrict D, const float *restrict X, int64_t n, int act) {
  if (act == 1) {
    for (int64_t i = 0; i < n; i++) D[i] *= 1.0f - X[i] * X[i];
  } else if (act == 2) {
    for (int64_t i = 0; i < n; i++) D[i] = X[i] > 0.0f ? D[i] : 0.0f;
  }
}

/* biasAct(Y, R, N, P, biasOff, act): Y[r, n] += P[biasOff + n], then tanh (act 1) or ReLU (act 2). */
static napi_value bias_act(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, argv, 6, "biasAct")) return NULL;
  float *Y, *P;
  size_t nY, nP;
  int64_t R, N, bOff, act;
  if (!get_f32(env, argv[0], &Y, &nY, "Y") || !get_i64(env, argv[1], &R, "R") || !get_i64(env, argv[2], &N, "N") ||
      !get_f32(env, argv[3], &P, &nP, "P") || !get_i64(env, argv[4], &bOff, "biasOff") || !get_i64(env, argv[5], &act, "act"))
    return NULL;
  if (!fits(0, R, N, N, nY) || !fits(bOff, 1, N, N, nP)) return range_error(env, "guided-rl native: biasAct arrays too short");
  bias_act_rows(Y, P + bOff, R, N, (int)act);
  return NULL;
}

/* biasGrad(D, R, N, G, gOff): G[gOff + n] += sum_r D[r, n]. */
static napi_value bias_grad(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!get_args(env, info, argv, 5, "biasGrad")) return NULL;
  float *D, *G;
  size_t nD, nG;
  int64_t R, N, gOff;
  if (!get_f32(env, argv[0], &D, &nD, "D") || !get_i64(env, argv[1], &R, "R") || !get_i64(env, argv[2], &N, "N") ||
      !get_f32(env, argv[3], &G, &nG, "G") || !get_i64(env, argv[4], &gOff, "gOff"))
    return NULL;
  if (!fits(0, R, N, N, nD) || !fits(gOff, 1, N, N, nG)) return range_error(env, "guided-rl native: biasGrad arrays too short");
  bias_grad_rows(D, G + gOff, R, N);
  return NULL;
}

/* actGrad(D, X, n, act): D *= f'(.) given the activation's outputs X: 1 - X^2 (tanh, act 1), X > 0 (ReLU, act 2). */
static napi_value act_grad(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!get_args(env, info, argv, 4, "actGrad")) return NULL;
  float *D, *X;
  size_t nD, nX;
  int64_t n, act;
  if (!get_f32(env, argv[0], &D, &nD, "D") || !get_f32(env, argv[1], &X, &nX, "X") || !get_i64(env, argv[2], &n, "n") ||
      !get_i64(env, argv[3], &act, "act"))
    return NULL;
  if (n < 0 || (size_t)n > nD || (size_t)n > nX) return range_error(env, "guided-rl native: actGrad arrays too short");
  act_grad_values(D, X, n, (int)act);
  return NULL;
}

/*
 * adam(P, G, M, V, n, b1, b2, stepSize, bc2Sqrt, eps): torch.optim.Adam's update over n values with
 * float32 storage and float64 arithmetic, the same expressions in the same order as optim.ts's Adam (so
 * the result is bit for bit that of the JS and WebAssembly versions):
 * m = b1 m + (1 - b1) g; v = b2 v + ((1 - b2) g) g; p -= (stepSize m) / (sqrt(v) / bc2Sqrt + eps).
 */
__attribute__((noinline)) static void adam_values(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, int64_t n,
                        double b1, double b2, double stepSize, double bc2Sqrt, double eps) {
  const double omb1 = 1.0 - b1, omb2 = 1.0 - b2;
  for (int64_t i = 0; i < n; i++) {
    const double gi = g[i];
    const double mi = b1 * (double)m[i] + omb1 * gi;
    const double vi = b2 * (double)v[i] + omb2 * gi * gi;
    m[i] = (float)mi;
    v[i] = (float)vi;
    p[i] = (float)((double)p[i] - (stepSize * mi) / (sqrt(vi) / bc2Sqrt + eps));
  }
}

static napi_value adam(napi_env env, napi_callback_info info) {
  napi_value argv[10];
  if (!get_args(env, info, argv, 10, "adam")) return NULL;
  float *P, *G, *M, *V;
  size_t nP, nG, nM, nV;
  int64_t n;
  double b1, b2, stepSize, bc2Sqrt, eps;
  if (!get_f32(env, argv[0], &P, &nP, "params") || !get_f32(env, argv[1], &G, &nG, "grads") ||
      !get_f32(env, argv[2], &M, &nM, "m") || !get_f32(env, argv[3], &V, &nV, "v") || !get_i64(env, argv[4], &n, "n") ||
      !get_f64(env, argv[5], &b1, "beta1") || !get_f64(env, argv[6], &b2, "beta2") || !get_f64(env, argv[7], &stepSize, "stepSize") ||
      !get_f64(env, argv[8], &bc2Sqrt, "bc2Sqrt") || !get_f64(env, argv[9], &eps, "eps"))
    return NULL;
  if (n < 0 || (size_t)n > nP || (size_t)n > nG || (size_t)n > nM || (size_t)n > nV)
    return range_error(env, "guided-rl native: adam arrays too short");
  adam_values(P, G, M, V, n, b1, b2, stepSize, bc2Sqrt, eps);
  return NULL;
}

/* polyak(T, S, n, tau): T = T (1 - tau) + S tau in float64, stored as float32 (Mlp.polyakUpdate's expression). */
__attribute__((noinline)) static void polyak_values(float *restrict t, const float *restrict s, int64_t n, double tau) {
  const double keep = 1.0 - tau;
  for (int64_t i = 0; i < n; i++) t[i] = (float)((double)t[i] * keep + (double)s[i] * tau);
}

static napi_value polyak(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!get_args(env, info, argv, 4, "polyak")) return NULL;
  float *T, *S;
  size_t nT, nS;
  int64_t n;
  double tau;
  if (!get_f32(env, argv[0], &T, &nT, "target") || !get_f32(env, argv[1], &S, &nS, "source") ||
      !get_i64(env, argv[2], &n, "n") || !get_f64(env, argv[3], &tau, "tau"))
    return NULL;
  if (n < 0 || (size_t)n > nT || (size_t)n > nS) return range_error(env, "guided-rl native: polyak arrays too short");
  polyak_values(T, S, n, tau);
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int64_t n;
  if (!get_args(env, info, argv, 1, "setThreads") || !get_i64(env, argv[0], &n, "threads")) return NULL;
  if (n < 1 || n > 1024) return range_error(env, "guided-rl native: threads must be in 1..1024");
  openblas_set_num_threads((int)n);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(env, napi_create_int32(env, openblas_get_num_threads(), &out));
  return out;
}

/* OpenBLAS's build configuration and the kernel family it picked for this CPU, e.g. "... Cooperlake". */
static napi_value config(napi_env env, napi_callback_info info) {
  (void)info;
  char text[512];
  snprintf(text, sizeof text, "%s | core %s", openblas_get_config(), openblas_get_corename());
  napi_value out;
  CHECK(env, napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &out));
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_default, NULL},
      {"sgemmPair", NULL, sgemm_pair, NULL, NULL, NULL, napi_default, NULL},
      {"biasAct", NULL, bias_act, NULL, NULL, NULL, napi_default, NULL},
      {"biasGrad", NULL, bias_grad, NULL, NULL, NULL, napi_default, NULL},
      {"actGrad", NULL, act_grad, NULL, NULL, NULL, napi_default, NULL},
      {"adam", NULL, adam, NULL, NULL, NULL, napi_default, NULL},
      {"polyak", NULL, polyak, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
      {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_default, NULL},
      {"config", NULL, config, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(env, napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

#ifndef NODE_GYP_MODULE_NAME
#define NODE_GYP_MODULE_NAME guided_rl_blas
#endif
NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
