/*
 * Native MuJoCo steps per second on one model, for bench/mujoco.ts (built by it when Debian's libmujoco-dev is
 * present):   mujoco-native <model.xml> <frame_skip> <env_steps> [seed]
 * Protocol (the same as the wasm "bare" loop in bench/mujoco.ts): mj_resetData, then per env step new controls
 * drawn uniformly in the ctrl ranges by an LCG, frame_skip mj_step calls; mj_resetData every 1000 env steps.
 * Prints one JSON line: env steps per second by the wall clock and by this process's CPU time (on a shared machine
 * the wall clock mostly measures the other tenants), mj_step calls per CPU second, and MuJoCo's version.
 */
#include <mujoco/mujoco.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static unsigned int lcg_state;
static double lcg_uniform(void) {
  lcg_state = 1664525u * lcg_state + 1013904223u;
  return lcg_state / 4294967296.0;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s model.xml frame_skip env_steps [seed]\n", argv[0]);
    return 2;
  }
  char error[1000] = "";
  mjModel* m = mj_loadXML(argv[1], NULL, error, sizeof(error));
  if (!m) {
    fprintf(stderr, "cannot load %s: %s\n", argv[1], error);
    return 1;
  }
  int frame_skip = atoi(argv[2]);
  long env_steps = atol(argv[3]);
  lcg_state = 12345u + (argc > 4 ? (unsigned)atoi(argv[4]) : 0u);
  mjData* d = mj_makeData(m);
  mj_resetData(m, d);
  struct timespec t0, t1, c0, c1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  for (long t = 0; t < env_steps; t++) {
    if (t % 1000 == 0) mj_resetData(m, d);
    for (int i = 0; i < m->nu; i++) {
      double lo = m->actuator_ctrlrange[2 * i], hi = m->actuator_ctrlrange[2 * i + 1];
      d->ctrl[i] = lo + (hi - lo) * lcg_uniform();
    }
    for (int k = 0; k < frame_skip; k++) mj_step(m, d);
  }
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double wall = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
  double cpu = (c1.tv_sec - c0.tv_sec) + 1e-9 * (c1.tv_nsec - c0.tv_nsec);
  printf("{\"wall\": %.1f, \"cpu\": %.1f, \"mjStepsPerCpuSec\": %.1f, \"version\": %d}\n", env_steps / wall, env_steps / cpu,
         env_steps * frame_skip / cpu, mj_version());
  mj_deleteData(d);
  mj_deleteModel(m);
  return 0;
}
