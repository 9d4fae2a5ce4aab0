using System;
using System.IO;
using System.Text.Json;
using FastBackprop.Cli.Common;
using FastBackprop.Cli.Output;
using FastBackprop.Layers;
using FastBackprop.Training;

namespace FastBackprop.Cli.Commands.Train;

/// <summary>
/// The <c>train --json</c> object: <c>command</c>, <c>data</c>, <c>network</c>, <c>training</c> (the settings),
/// <c>result</c> (stop reason, epochs, seconds), <c>final</c> (training and test loss and accuracy), <c>epochs</c>
/// (one entry per epoch) and <c>files</c>. Accuracies are fractions in [0, 1]; values that do not exist are null.
/// </summary>
internal static class TrainingSummaryJson
{
    /// <summary>Writes the summary as one line of JSON.</summary>
    public static void Write(TextWriter output, TrainingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        TrainingPlan plan = summary.Plan;
        JsonOutput.Write(output, w =>
        {
            w.WriteString("command", "train");
            w.WriteString("isa", Kernels.Isa.Active.ToString());
            w.WriteStartObject("data");
            w.WriteString("name", plan.DataName);
            w.WriteString("description", plan.DataDescription);
            w.WriteNumber("trainingSamples", plan.TrainingSamples);
            w.WriteString("monitor", plan.MonitorSamples > 0 ? plan.MonitorName : "none");
            w.WriteNumber("monitorSamples", plan.MonitorSamples);
            w.WriteNumber("testSamples", plan.TestSamples);
            w.WriteBoolean("classification", plan.IsClassification);
            w.WriteEndObject();

            w.WriteStartObject("network");
            w.WriteNumber("inputs", plan.Inputs);
            w.WriteStartArray("layers");
            foreach (LayerSpec layer in plan.Layers)
            {
                w.WriteStartObject();
                w.WriteNumber("units", layer.Units);
                w.WriteString("activation", ArchitectureParser.FormatActivation(layer.Activation));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("loss", ArchitectureParser.FormatLoss(plan.Loss));
            w.WriteNumber("parameters", plan.ParameterCount);
            w.WriteEndObject();

            w.WriteStartObject("training");
            w.WriteString("optimizer", plan.Optimizer);
            JsonOutput.Number(w, "learningRate", plan.LearningRate);
            w.WriteNumber("batchSize", plan.BatchSize);
            w.WriteNumber("maxEpochs", plan.MaxEpochs);
            w.WriteNumber("seed", plan.Seed);
            w.WriteNumber("threads", plan.Threads);
            w.WriteEndObject();

            w.WriteStartObject("result");
            w.WriteString("stopReason", summary.Result.Reason.ToString());
            w.WriteNumber("epochs", summary.Result.Epochs);
            w.WriteNumber("trainingSeconds", summary.Result.Elapsed.TotalSeconds);
            w.WriteNumber("totalSeconds", summary.TotalSeconds);
            JsonOutput.Number(w, "bestValidationLoss", summary.Result.BestValidationLoss);
            w.WriteNumber("bestEpoch", summary.Result.BestEpoch);
            w.WriteEndObject();

            w.WriteStartObject("final");
            WriteMeasurement(w, "training", summary.Training);
            if (summary.Test is Measurement test)
            {
                WriteMeasurement(w, "test", test);
            }
            else
            {
                w.WriteNull("test");
            }

            w.WriteEndObject();

            w.WriteStartArray("epochs");
            foreach (EpochReport report in summary.History)
            {
                w.WriteStartObject();
                w.WriteNumber("epoch", report.Epoch);
                JsonOutput.Number(w, "trainingLoss", report.TrainingLoss);
                JsonOutput.Number(w, "trainingAccuracy", plan.IsClassification ? report.TrainingAccuracy : double.NaN);
                JsonOutput.Number(w, "monitorLoss", report.ValidationLoss);
                JsonOutput.Number(w, "monitorAccuracy", plan.IsClassification ? report.ValidationAccuracy : double.NaN);
                JsonOutput.Number(w, "samplesPerSecond", report.SamplesPerSecond);
                w.WriteNumber("elapsedSeconds", report.Elapsed.TotalSeconds);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartObject("files");
            JsonOutput.Text(w, "model", summary.ModelPath);
            JsonOutput.Text(w, "plot", summary.PlotPath);
            w.WriteEndObject();
        });
    }

    static void WriteMeasurement(Utf8JsonWriter w, string name, Measurement m)
    {
        w.WriteStartObject(name);
        w.WriteNumber("samples", m.Samples);
        JsonOutput.Number(w, "loss", m.Loss);
        JsonOutput.Number(w, "accuracy", m.Accuracy);
        w.WriteEndObject();
    }
}
