#!/usr/bin/env bash
# Submits a reward-design run (eureka preset) as dependent Slurm jobs over one shared run folder: for each
# iteration left, propose -> train (a job array of GUIDED_RL_SHARDS tasks) -> reflect; then the final stage
# (the finalists on the other final seeds) as train -> reflect, which writes the tables and figures.
#
#   GUIDED_RL_SHARDS=4 deploy/slurm/reward-design-submit.sh
#   GUIDED_RL_ARGS="reproduce reward-design --budget full --llm anthropic" GUIDED_RL_OUT=/scratch/rd deploy/slurm/reward-design-submit.sh
#
# Run it on the login node from the project folder. It starts where the folder stands (a run cut short is
# submitted again from its current phase). Each job waits for the previous one (--dependency=afterok), so a
# failed phase stops the chain: fix it and submit again. SBATCH names the submit command (default sbatch).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
args="${GUIDED_RL_ARGS:-reproduce reward-design --budget full}"
out="${GUIDED_RL_OUT:-out/reward-design}"
shards="${GUIDED_RL_SHARDS:-4}"
sbatch="${SBATCH:-sbatch}"
export GUIDED_RL_ARGS="${args}" GUIDED_RL_OUT="${out}"

# First line of --list: "iteration t of T: <phase> is due ...", "final stage ...: ..." or "done: ...".
# shellcheck disable=SC2086 # args is a list of words by design
listing="$(npx guided-rl ${args} --out "${out}" --list)"
stage="${listing%%$'\n'*}"
case "${stage}" in
  iteration*)
    first="$(sed -E 's/^iteration ([0-9]+) of ([0-9]+):.*/\1/' <<<"${stage}")"
    last="$(sed -E 's/^iteration ([0-9]+) of ([0-9]+):.*/\2/' <<<"${stage}")"
    ;;
  final*) first=1 last=0 ;;
  *)
    echo "${out}: ${stage}"
    exit 0
    ;;
esac
echo "${out}: ${stage}"

dependency=()
submit() { # phase [sbatch options...]: prints the job id
  local phase="$1"
  shift
  "${sbatch}" --parsable --export="ALL,GUIDED_RL_PHASE=${phase}" "${dependency[@]}" "$@" "${here}/reward-design.sbatch"
}
chain() { # phase [sbatch options...]: submit after the previous job
  local id
  id="$(submit "$@")"
  id="${id%%;*}" # --parsable prints "id" or "id;cluster"
  echo "submitted $1 as job ${id}${dependency[*]:+ (${dependency[*]})}"
  dependency=(--dependency="afterok:${id}")
}
for ((i = first; i <= last; i++)); do
  chain propose
  chain train --array="0-$((shards - 1))"
  chain reflect
done
chain train --array="0-$((shards - 1))"
chain reflect
