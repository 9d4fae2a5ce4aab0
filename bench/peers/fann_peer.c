/* FANN's side of the peer comparison (bench/peers/run.sh drives it): the workload of a FastBackprop.Peers meta
 * file built with FANN 2.2 (float) and configured for textbook backpropagation rather than FANN's defaults
 * (iRPROP- and a tanh error function): FANN_TRAIN_INCREMENTAL for batch-1 workloads (one fann_train = one
 * step), FANN_TRAIN_BATCH over a batch-sized training set for the others (one fann_train_epoch = one step, the
 * update using the mean gradient), FANN_ERRORFUNC_LINEAR, the workload's learning rate, momentum 0, and
 * FANN_SIGMOID with steepness 0.5 (the logistic function). FANN 2.2 has no ReLU and no softmax: those layers
 * run as sigmoid, and softmax + cross-entropy as sigmoid outputs + squared error; the RESULT line's mode says
 * so. FANN is single-threaded. Timed with the rule of FastBackprop.Peers/StepTimer.cs.
 *
 *   fann_peer --meta DIR/meta.txt [--samples S] [--warmup s] [--min-sample s]
 */
#include <floatfann.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define MAX_LAYERS 16

struct workload {
    char name[32], loss[64];
    unsigned int inputs, batch, layer_count, units[MAX_LAYERS];
    char activation[MAX_LAYERS][32];
    float learning_rate;
    int forward_only;
};

static void fail(const char *message, const char *detail) {
    fprintf(stderr, "fann_peer: %s%s\n", message, detail ? detail : "");
    exit(2);
}

static void read_meta(const char *path, struct workload *w) {
    FILE *file = fopen(path, "r");
    char line[256], key[64], value[64];
    int number = 0, seen = 0;
    if (!file) fail("cannot open meta file ", path);
    memset(w, 0, sizeof *w);
    while (fgets(line, sizeof line, file)) {
        unsigned int units;
        ++number;
        if (sscanf(line, "%63s", key) != 1) continue;
        if (strcmp(key, "layer") == 0) {
            if (w->layer_count == MAX_LAYERS || sscanf(line, "layer %u %31s", &units, w->activation[w->layer_count]) != 2)
                fail("cannot read layer line: ", line);
            w->units[w->layer_count++] = units;
            continue;
        }
        if (sscanf(line, "%63s %63s", key, value) != 2) fail("expected 'key value', got: ", line);
        if (strcmp(key, "workload") == 0) { snprintf(w->name, sizeof w->name, "%s", value); seen |= 1; }
        else if (strcmp(key, "inputs") == 0) { w->inputs = (unsigned int)atoi(value); seen |= 2; }
        else if (strcmp(key, "loss") == 0) { snprintf(w->loss, sizeof w->loss, "%s", value); seen |= 4; }
        else if (strcmp(key, "batch") == 0) { w->batch = (unsigned int)atoi(value); seen |= 8; }
        else if (strcmp(key, "learning_rate") == 0) { w->learning_rate = (float)atof(value); seen |= 16; }
        else if (strcmp(key, "forward_only") == 0) { w->forward_only = atoi(value); seen |= 32; }
    }
    fclose(file);
    if (seen != 63 || w->layer_count == 0 || w->inputs == 0 || w->batch == 0)
        fail("meta file lacks workload, inputs, layer, loss, batch, learning_rate or forward_only: ", path);
}

static struct fann *ann;
static struct fann_train_data *data;
static struct workload w;

static void step_incremental(void) { fann_train(ann, data->input[0], data->output[0]); }
static void step_batch(void) { fann_train_epoch(ann, data); }
static void step_run(void) { fann_run(ann, data->input[0]); }

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

static double time_steps(void (*step)(void), long k) {
    double t0 = now_ns();
    for (long i = 0; i < k; ++i) step();
    return now_ns() - t0;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    const char *meta = NULL;
    int samples = 21;
    double warmup = 1, min_sample = 0.1;
    char mode[160];
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--meta") == 0) meta = argv[i + 1];
        else if (strcmp(argv[i], "--samples") == 0) samples = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--warmup") == 0) warmup = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--min-sample") == 0) min_sample = atof(argv[i + 1]);
        else fail("unknown option ", argv[i]);
    }
    if (!meta || argc % 2 == 0 || samples < 1)
        fail("usage: fann_peer --meta DIR/meta.txt [--samples S] [--warmup s] [--min-sample s]", NULL);
    read_meta(meta, &w);

    unsigned int sizes[MAX_LAYERS + 1];
    sizes[0] = w.inputs;
    int relu_as_sigmoid = 0, softmax_as_sigmoid = 0;
    for (unsigned int l = 0; l < w.layer_count; ++l) {
        sizes[l + 1] = w.units[l];
        if (strcmp(w.activation[l], "Relu") == 0) relu_as_sigmoid = 1;
        else if (strcmp(w.activation[l], "Softmax") == 0) softmax_as_sigmoid = 1;
        else if (strcmp(w.activation[l], "Sigmoid") != 0) fail("unsupported activation ", w.activation[l]);
    }
    if (strcmp(w.loss, "SquaredError") != 0 && strcmp(w.loss, "SoftmaxCrossEntropy") != 0) fail("unsupported loss ", w.loss);

    srand(1);
    ann = fann_create_standard_array(w.layer_count + 1, sizes);
    if (!ann) fail("fann_create_standard_array failed", NULL);
    fann_set_activation_function_hidden(ann, FANN_SIGMOID);
    fann_set_activation_function_output(ann, FANN_SIGMOID);
    fann_set_activation_steepness_hidden(ann, 0.5f);
    fann_set_activation_steepness_output(ann, 0.5f);
    fann_set_train_error_function(ann, FANN_ERRORFUNC_LINEAR);
    fann_set_learning_rate(ann, w.learning_rate);
    fann_set_learning_momentum(ann, 0.0f);
    int incremental = w.batch == 1;
    fann_set_training_algorithm(ann, incremental ? FANN_TRAIN_INCREMENTAL : FANN_TRAIN_BATCH);

    unsigned int outputs = sizes[w.layer_count];
    data = fann_create_train(w.batch, w.inputs, outputs);
    if (!data) fail("fann_create_train failed", NULL);
    for (unsigned int b = 0; b < w.batch; ++b) {
        for (unsigned int i = 0; i < w.inputs; ++i) data->input[b][i] = (fann_type)rand() / RAND_MAX;
        unsigned int hot = (unsigned int)rand() % outputs;
        for (unsigned int j = 0; j < outputs; ++j)
            data->output[b][j] = softmax_as_sigmoid ? (j == hot ? 1.0f : 0.0f) : (fann_type)rand() / RAND_MAX;
    }

    void (*step)(void) = w.forward_only ? step_run : incremental ? step_incremental : step_batch;
    snprintf(mode, sizeof mode, "%s%s%s", w.forward_only ? "fann_run" : incremental ? "incremental" : "batch",
             relu_as_sigmoid ? ",sigmoid-for-relu" : "", softmax_as_sigmoid ? ",sigmoid+squared-error-for-softmax+ce" : "");

    double start = now_ns();
    for (long n = 0; n < 2 || now_ns() - start < warmup * 1e9; ++n) step();
    long k = 1;
    while (time_steps(step, k) < min_sample * 1e9) k *= 2;
    double *per_step = malloc(sizeof(double) * (size_t)samples);
    for (int s = 0; s < samples; ++s) per_step[s] = time_steps(step, k) / k;
    qsort(per_step, (size_t)samples, sizeof(double), compare);
    int m = samples / 2;
    double median = samples % 2 == 1 ? per_step[m] : (per_step[m - 1] + per_step[m]) / 2;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("RESULT peer=fann workload=%s threads=1 median_ns=%.1f min_ns=%.1f max_ns=%.1f k=%ld samples=%d rss_mb=%.1f mode=%s\n",
           w.name, median, per_step[0], per_step[samples - 1], k, samples, usage.ru_maxrss / 1024.0, mode);
    free(per_step);
    fann_destroy_train(data);
    fann_destroy(ann);
    return 0;
}
