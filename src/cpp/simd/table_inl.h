// The table of a SIMD path's entry points, included last inside the path's namespace, which defines kPath.
// simd/dispatch.cc declares each path's kKernels.
extern const SimdKernels kKernels;
const SimdKernels kKernels = {
    kPath,
    &dot,
    &axpy,
    &first_greater,
    &update_and_score_rows,
    {&skipgram_step<false>, &skipgram_step<true>},
    {&train_sentence_skipgram<false>, &train_sentence_skipgram<true>},
    {&train_sentence_skipgram_shared<false>, &train_sentence_skipgram_shared<true>},
    {&train_sentence_cbow<false>, &train_sentence_cbow<true>},
    {&train_sentence_skipgram_subwords<false>, &train_sentence_skipgram_subwords<true>},
    {&train_sentence_cbow_subwords<false>, &train_sentence_cbow_subwords<true>},
    &floats_to_halves,
    &halves_to_floats,
};
