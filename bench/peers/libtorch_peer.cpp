// libtorch's side of the peer comparison (bench/peers/run.sh drives it): the workload of a FastBackprop.Peers
// meta file built with torch::nn as a libtorch user writes it, timed with the rule of
// FastBackprop.Peers/StepTimer.cs (warm-up; k = smallest power of two with k steps >= the minimum sample time;
// median per-step time over the samples). Prints one RESULT line.
//
//   libtorch_peer --meta DIR/meta.txt --threads N [--samples S] [--warmup s] [--min-sample s] [--peer NAME]
#include <torch/torch.h>

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

struct Meta {
  std::string workload, loss;
  int inputs = 0, batch = 0;
  bool forward_only = false;
  double learning_rate = 0;
  std::vector<std::pair<int, std::string>> layers;
};

Meta read_meta(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot open meta file " + path);
  Meta meta;
  std::string line;
  int number = 0;
  std::map<std::string, bool> seen;
  while (std::getline(file, line)) {
    ++number;
    std::istringstream in(line);
    std::string key;
    if (!(in >> key)) continue;
    bool ok = true;
    if (key == "layer") {
      int units;
      std::string activation;
      ok = static_cast<bool>(in >> units >> activation);
      if (ok) meta.layers.emplace_back(units, activation);
    } else if (key == "workload") {
      ok = static_cast<bool>(in >> meta.workload);
    } else if (key == "inputs") {
      ok = static_cast<bool>(in >> meta.inputs);
    } else if (key == "loss") {
      ok = static_cast<bool>(in >> meta.loss);
    } else if (key == "batch") {
      ok = static_cast<bool>(in >> meta.batch);
    } else if (key == "learning_rate") {
      ok = static_cast<bool>(in >> meta.learning_rate);
    } else if (key == "forward_only") {
      int f;
      ok = static_cast<bool>(in >> f);
      meta.forward_only = f != 0;
    }
    if (!ok) throw std::runtime_error(path + ":" + std::to_string(number) + ": cannot read '" + line + "'");
    seen[key] = true;
  }
  for (const char* key : {"workload", "inputs", "layer", "loss", "batch", "learning_rate", "forward_only"})
    if (!seen[key]) throw std::runtime_error(path + ": expected a '" + key + "' line, found none");
  return meta;
}

struct Timing {
  double median, fastest, slowest;
  long k;
};

Timing measure(const std::function<void()>& step, double warmup, double min_sample, int samples) {
  using clock = std::chrono::steady_clock;
  auto seconds_since = [](clock::time_point t0) { return std::chrono::duration<double>(clock::now() - t0).count(); };
  auto start = clock::now();
  for (long n = 0; n < 2 || seconds_since(start) < warmup; ++n) step();
  auto time_steps = [&](long k) {
    auto t0 = clock::now();
    for (long i = 0; i < k; ++i) step();
    return std::chrono::duration<double, std::nano>(clock::now() - t0).count();
  };
  long k = 1;
  while (time_steps(k) < min_sample * 1e9) k *= 2;
  std::vector<double> per_step;
  for (int s = 0; s < samples; ++s) per_step.push_back(time_steps(k) / k);
  std::sort(per_step.begin(), per_step.end());
  int m = samples / 2;
  double median = samples % 2 == 1 ? per_step[m] : (per_step[m - 1] + per_step[m]) / 2;
  return {median, per_step.front(), per_step.back(), k};
}

}  // namespace

int main(int argc, char** argv) {
  try {
    std::map<std::string, std::string> options{{"--threads", "1"}, {"--samples", "21"}, {"--warmup", "1"},
                                               {"--min-sample", "0.1"}, {"--peer", "libtorch"}};
    for (int i = 1; i + 1 < argc; i += 2) options[argv[i]] = argv[i + 1];
    if (argc % 2 == 0 || !options.count("--meta"))
      throw std::runtime_error("usage: libtorch_peer --meta DIR/meta.txt --threads N [--samples S] [--warmup s] [--min-sample s] [--peer NAME]");
    int threads = std::stoi(options["--threads"]);
    int samples = std::stoi(options["--samples"]);
    Meta meta = read_meta(options["--meta"]);

    torch::set_num_threads(threads);
    torch::manual_seed(1);
    torch::nn::Sequential model;
    int fan_in = meta.inputs;
    for (size_t l = 0; l < meta.layers.size(); ++l) {
      auto [units, activation] = meta.layers[l];
      model->push_back(torch::nn::Linear(fan_in, units));
      // A softmax output is left to the loss (cross_entropy takes logits), as with PyTorch.
      if (activation == "Sigmoid") model->push_back(torch::nn::Sigmoid());
      else if (activation == "Relu") model->push_back(torch::nn::ReLU());
      else if (activation == "Tanh") model->push_back(torch::nn::Tanh());
      else if (activation != "Softmax" && activation != "Identity") throw std::runtime_error("unknown activation " + activation);
      fan_in = units;
    }
    int outputs = fan_in;
    bool cross_entropy = meta.loss == "SoftmaxCrossEntropy";
    if (!cross_entropy && meta.loss != "SquaredError") throw std::runtime_error("unsupported loss " + meta.loss);

    torch::Tensor x = torch::rand({meta.batch, meta.inputs});
    torch::Tensor y = cross_entropy ? torch::randint(0, outputs, {meta.batch}, torch::kLong) : torch::rand({meta.batch, outputs});
    torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(meta.learning_rate));
    double half_over_batch = 0.5 / meta.batch;
    std::function<void()> step;
    if (meta.forward_only) {
      model->eval();
      step = [&] {
        torch::NoGradGuard guard;
        torch::Tensor out = model->forward(x);
        if (cross_entropy) out = torch::softmax(out, 1);
      };
    } else {
      // FastBackprop's losses: (1/n) sum 1/2 sum (t - o)^2, and cross-entropy averaged over the batch.
      step = [&] {
        optimizer.zero_grad();
        torch::Tensor out = model->forward(x);
        torch::Tensor loss = cross_entropy
                                 ? torch::nn::functional::cross_entropy(out, y)
                                 : torch::mse_loss(out, y, at::Reduction::Sum) * half_over_batch;
        loss.backward();
        optimizer.step();
      };
    }

    Timing t = measure(step, std::stod(options["--warmup"]), std::stod(options["--min-sample"]), samples);
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("RESULT peer=%s workload=%s threads=%d median_ns=%.1f min_ns=%.1f max_ns=%.1f k=%ld samples=%d rss_mb=%.1f\n",
                options["--peer"].c_str(), meta.workload.c_str(), threads, t.median, t.fastest, t.slowest, t.k, samples,
                usage.ru_maxrss / 1024.0);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "libtorch_peer: %s\n", e.what());
    return 2;
  }
}
