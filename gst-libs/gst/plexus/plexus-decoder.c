/* gst-plugins-sensor
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:plexus-decoder
 * @title: GstPlexusDecoder
 * @short_description: TurboJPEG decoding of camera frames, frame-parallel
 *   with in-order delivery
 *
 * One decoder per camera. The caller negotiates an output format, then
 * either decodes each JPEG on its own thread (gst_plexus_decoder_decode())
 * or, when gst_plexus_decoder_is_parallel() says so, submits it to the
 * worker threads and takes the results back oldest first
 * (gst_plexus_decoder_pop()): frames leave in the order they came in
 * whatever order the workers finish them. Only the caller's thread submits,
 * pops and discards; the workers only decode and mark a job done.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <turbojpeg.h>

#include "plexus-decoder.h"

GST_DEBUG_CATEGORY_STATIC (plexus_decoder_debug);
#define GST_CAT_DEFAULT plexus_decoder_debug

/* The pool hands buffers out in the order they came back, so every
 * preallocated buffer takes turns: start with one and let the pool grow only
 * while downstream holds frames, so that a prompt sink keeps decoding into
 * the one frame that is still in the cache. */
#define POOL_MIN_BUFFERS 1

typedef struct
{
  GstBuffer *jpeg;
  GstBuffer *out;
  gboolean ok;
  gchar *error;  /* TurboJPEG's message when !ok */
  gboolean done; /* lock */
} Job;

struct _GstPlexusDecoder
{
  GstVideoInfo info;
  guint width, height;        /* of the JPEGs */
  GstVideoConverter *convert; /* RGB -> I420 for non-4:2:0 JPEGs */
  GstVideoInfo tmp_info;
  GstBuffer *tmp;
  tjhandle tj; /* the caller's thread */

  guint n_threads; /* fixed while frames are in flight */
  GThreadPool *workers;
  GQueue jobs; /* Job*, oldest first; the caller's thread only */
  GMutex lock;
  GCond cond; /* a job is done, or the caller got input */
};

/**
 * gst_plexus_decoder_new:
 *
 * Returns: (transfer full): a decoder with one thread (decoding on the
 *   caller's) and no format yet
 */
GstPlexusDecoder *
gst_plexus_decoder_new (void)
{
  GstPlexusDecoder *dec = g_new0 (GstPlexusDecoder, 1);

  GST_DEBUG_CATEGORY_INIT (
      plexus_decoder_debug, "plexusdecoder", 0, "Plexus JPEG decoding");
  g_mutex_init (&dec->lock);
  g_cond_init (&dec->cond);
  g_queue_init (&dec->jobs);
  dec->n_threads = 1;
  return dec;
}

/**
 * gst_plexus_decoder_free:
 * @dec: (transfer full) (nullable): a decoder
 *
 * Drops the frames in flight (waiting for the workers to finish them) and
 * frees @dec.
 */
void
gst_plexus_decoder_free (GstPlexusDecoder *dec)
{
  if (!dec)
    return;
  gst_plexus_decoder_stop (dec);
  if (dec->tj)
    tjDestroy (dec->tj);
  g_mutex_clear (&dec->lock);
  g_cond_clear (&dec->cond);
  g_free (dec);
}

/**
 * gst_plexus_decoder_set_threads:
 * @dec: a decoder
 * @n_threads: worker threads, 1 to decode on the caller's thread
 *
 * Sets how many frames may be decoded at once; call it while nothing is in
 * flight (after gst_plexus_decoder_stop()).
 */
void
gst_plexus_decoder_set_threads (GstPlexusDecoder *dec, guint n_threads)
{
  g_return_if_fail (dec != NULL && dec->jobs.length == 0);
  dec->n_threads = MAX (n_threads, 1);
}

/**
 * gst_plexus_decoder_get_threads:
 * @dec: a decoder
 *
 * Returns: the threads decoding at once (1 after the worker threads could
 *   not be made)
 */
guint
gst_plexus_decoder_get_threads (GstPlexusDecoder *dec)
{
  return dec->n_threads;
}

/**
 * gst_plexus_decoder_clear_format:
 * @dec: a decoder
 *
 * Frees what the last format needed (the RGB -> I420 converter).
 */
void
gst_plexus_decoder_clear_format (GstPlexusDecoder *dec)
{
  g_clear_pointer (&dec->convert, gst_video_converter_free);
  gst_clear_buffer (&dec->tmp);
}

/**
 * gst_plexus_decoder_set_format:
 * @dec: a decoder with nothing in flight
 * @info: the raw output: I420, RGB, BGRx or GRAY8
 * @jpeg: what the JPEGs' header says
 *
 * Sets the output format. I420 from a JPEG that is not 4:2:0 goes through
 * RGB and a converter with one shared buffer, so it is decoded on the
 * caller's thread only.
 *
 * Returns: %FALSE when the converter cannot be made
 */
gboolean
gst_plexus_decoder_set_format (GstPlexusDecoder *dec, const GstVideoInfo *info,
    const GstPlexusJpegInfo *jpeg)
{
  g_return_val_if_fail (dec != NULL && dec->jobs.length == 0, FALSE);

  gst_plexus_decoder_clear_format (dec);
  dec->info = *info;
  dec->width = jpeg->width;
  dec->height = jpeg->height;
  if (GST_VIDEO_INFO_FORMAT (info) != GST_VIDEO_FORMAT_I420 ||
      jpeg->subsampling == GST_PLEXUS_JPEG_SUBSAMPLING_420)
    return TRUE;
  gst_video_info_set_format (
      &dec->tmp_info, GST_VIDEO_FORMAT_RGB, jpeg->width, jpeg->height);
  dec->convert = gst_video_converter_new (&dec->tmp_info, &dec->info, NULL);
  if (!dec->convert)
    return FALSE;
  dec->tmp = gst_buffer_new_allocate (NULL, dec->tmp_info.size, NULL);
  return TRUE;
}

static gboolean
decode_to_i420 (GstPlexusDecoder *dec, tjhandle tj, const guint8 *jpeg,
    gsize len, GstVideoFrame *frame)
{
  unsigned char *planes[3];
  int strides[3], i;
  GstVideoFrame tmp;
  gboolean ok;

  if (!dec->convert) {
    for (i = 0; i < 3; i++) {
      planes[i] = GST_VIDEO_FRAME_PLANE_DATA (frame, i);
      strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE (frame, i);
    }
    return tjDecompressToYUVPlanes (tj, jpeg, len, planes, dec->width, strides,
               dec->height, TJFLAG_FASTDCT) == 0;
  }
  if (!gst_video_frame_map (&tmp, &dec->tmp_info, dec->tmp, GST_MAP_WRITE))
    return FALSE;
  ok = tjDecompress2 (tj, jpeg, len, GST_VIDEO_FRAME_PLANE_DATA (&tmp, 0),
           dec->width, GST_VIDEO_FRAME_PLANE_STRIDE (&tmp, 0), dec->height,
           TJPF_RGB, TJFLAG_FASTDCT) == 0;
  if (ok)
    gst_video_converter_frame (dec->convert, &tmp, frame);
  gst_video_frame_unmap (&tmp);
  return ok;
}

static gboolean
decode_into (GstPlexusDecoder *dec, tjhandle tj, const guint8 *jpeg, gsize len,
    GstBuffer *out)
{
  GstVideoFrame frame;
  gboolean ok;
  int pf;

  if (!gst_video_frame_map (&frame, &dec->info, out, GST_MAP_WRITE))
    return FALSE;
  switch (GST_VIDEO_INFO_FORMAT (&dec->info)) {
    case GST_VIDEO_FORMAT_I420:
      ok = decode_to_i420 (dec, tj, jpeg, len, &frame);
      break;
    case GST_VIDEO_FORMAT_RGB:
    case GST_VIDEO_FORMAT_BGRx:
    case GST_VIDEO_FORMAT_GRAY8:
      pf = GST_VIDEO_INFO_FORMAT (&dec->info) == GST_VIDEO_FORMAT_RGB ?
          TJPF_RGB :
          GST_VIDEO_INFO_FORMAT (&dec->info) == GST_VIDEO_FORMAT_BGRx ?
          TJPF_BGRX :
          TJPF_GRAY;
      ok = tjDecompress2 (tj, jpeg, len, GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
               dec->width, GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
               dec->height, pf, TJFLAG_FASTDCT) == 0;
      break;
    default:
      ok = FALSE;
      break;
  }
  gst_video_frame_unmap (&frame);
  if (!ok)
    GST_DEBUG ("TurboJPEG: %s", tjGetErrorStr2 (tj));
  return ok;
}

/* Decodes @jpeg into @out and stamps @out with its timestamps, flags and
 * metas; on the caller's thread or a worker. */
static gboolean
decode_with (GstPlexusDecoder *dec, tjhandle tj, GstBuffer *jpeg,
    GstBuffer *out, gchar **error)
{
  GstMapInfo map;
  gboolean ok;

  if (!gst_buffer_map (jpeg, &map, GST_MAP_READ)) {
    *error = g_strdup ("cannot map the JPEG");
    return FALSE;
  }
  ok = decode_into (dec, tj, map.data, map.size, out);
  gst_buffer_unmap (jpeg, &map);
  if (ok)
    gst_buffer_copy_into (out, jpeg, GST_BUFFER_COPY_METADATA, 0, -1);
  else
    *error = g_strdup (tjGetErrorStr2 (tj));
  return ok;
}

/**
 * gst_plexus_decoder_decode:
 * @dec: a decoder with a format
 * @jpeg: a JPEG of the format's size
 * @out: a writable buffer of the format's size
 * @error: (out) (transfer full) (optional) (nullable): why it failed
 *
 * Decodes @jpeg into @out on this thread and copies the timestamps, flags
 * and metas of @jpeg onto @out.
 *
 * Returns: %TRUE when @jpeg decoded
 */
gboolean
gst_plexus_decoder_decode (
    GstPlexusDecoder *dec, GstBuffer *jpeg, GstBuffer *out, gchar **error)
{
  gchar *why = NULL;
  gboolean ok;

  if (!dec->tj)
    dec->tj = tjInitDecompress ();
  ok = decode_with (dec, dec->tj, jpeg, out, &why);
  if (error)
    *error = why;
  else
    g_free (why);
  return ok;
}

static void
job_free (Job *job)
{
  gst_clear_buffer (&job->jpeg);
  gst_clear_buffer (&job->out);
  g_free (job->error);
  g_free (job);
}

static void
worker_tj_free (gpointer tj)
{
  tjDestroy (tj);
}

/* each worker thread decodes with its own handle, freed when it exits */
static GPrivate worker_tj = G_PRIVATE_INIT (worker_tj_free);

static void
worker_decode (gpointer data, gpointer user_data)
{
  Job *job = data;
  GstPlexusDecoder *dec = user_data;
  tjhandle tj = g_private_get (&worker_tj);

  if (!tj) {
    tj = tjInitDecompress ();
    g_private_set (&worker_tj, tj);
  }
  job->ok = decode_with (dec, tj, job->jpeg, job->out, &job->error);
  g_mutex_lock (&dec->lock);
  job->done = TRUE;
  g_cond_signal (&dec->cond);
  g_mutex_unlock (&dec->lock);
}

/**
 * gst_plexus_decoder_is_parallel:
 * @dec: a decoder with a format
 *
 * Whether the next frame goes to a worker (gst_plexus_decoder_submit())
 * rather than through gst_plexus_decoder_decode(): with more than one thread
 * and no converter. Starts the workers; when they cannot start, the decoder
 * falls back to one thread.
 *
 * Returns: %TRUE when frames go to the workers
 */
gboolean
gst_plexus_decoder_is_parallel (GstPlexusDecoder *dec)
{
  g_autoptr (GError) error = NULL;

  if (dec->n_threads <= 1 || dec->convert)
    return FALSE;
  if (dec->workers)
    return TRUE;
  dec->workers =
      g_thread_pool_new (worker_decode, dec, dec->n_threads, TRUE, &error);
  if (!dec->workers) {
    GST_WARNING ("no decode threads (%s), decoding on the caller's thread",
        error ? error->message : "?");
    dec->n_threads = 1;
  }
  return dec->workers != NULL;
}

/**
 * gst_plexus_decoder_submit:
 * @dec: a decoder for which gst_plexus_decoder_is_parallel() said %TRUE
 * @jpeg: (transfer full): a JPEG of the format's size
 * @out: (transfer full): a writable buffer of the format's size
 *
 * Hands a frame to the workers; gst_plexus_decoder_pop() gives it back.
 */
void
gst_plexus_decoder_submit (
    GstPlexusDecoder *dec, GstBuffer *jpeg, GstBuffer *out)
{
  Job *job = g_new0 (Job, 1);

  job->jpeg = jpeg;
  job->out = out;
  g_queue_push_tail (&dec->jobs, job);
  g_thread_pool_push (dec->workers, job, NULL);
}

/**
 * gst_plexus_decoder_get_in_flight:
 * @dec: a decoder
 *
 * Returns: the frames submitted and not popped yet
 */
guint
gst_plexus_decoder_get_in_flight (GstPlexusDecoder *dec)
{
  return dec->jobs.length;
}

/**
 * gst_plexus_decoder_is_busy:
 * @dec: a decoder
 *
 * Returns: %TRUE when every thread has a frame
 */
gboolean
gst_plexus_decoder_is_busy (GstPlexusDecoder *dec)
{
  return dec->jobs.length >= dec->n_threads;
}

/**
 * gst_plexus_decoder_head_done:
 * @dec: a decoder
 *
 * Returns: %TRUE when the oldest frame in flight is decoded (or failed)
 */
gboolean
gst_plexus_decoder_head_done (GstPlexusDecoder *dec)
{
  Job *head = g_queue_peek_head (&dec->jobs);
  gboolean done;

  if (!head)
    return FALSE;
  g_mutex_lock (&dec->lock);
  done = head->done;
  g_mutex_unlock (&dec->lock);
  return done;
}

static Job *
pop_done (GstPlexusDecoder *dec)
{
  Job *job = g_queue_pop_head (&dec->jobs);

  if (!job)
    return NULL;
  g_mutex_lock (&dec->lock);
  while (!job->done)
    g_cond_wait (&dec->cond, &dec->lock);
  g_mutex_unlock (&dec->lock);
  return job;
}

/**
 * gst_plexus_decoder_pop:
 * @dec: a decoder
 * @out: (out) (transfer full) (nullable): the decoded frame, %NULL when it
 *   did not decode
 * @error: (out) (transfer full) (optional) (nullable): why it did not
 *
 * Waits for the oldest frame in flight and takes it.
 *
 * Returns: %FALSE when nothing was in flight
 */
gboolean
gst_plexus_decoder_pop (GstPlexusDecoder *dec, GstBuffer **out, gchar **error)
{
  Job *job = pop_done (dec);

  *out = NULL;
  if (error)
    *error = NULL;
  if (!job)
    return FALSE;
  if (job->ok)
    *out = g_steal_pointer (&job->out);
  else if (error)
    *error = g_steal_pointer (&job->error);
  job_free (job);
  return TRUE;
}

/**
 * gst_plexus_decoder_wait:
 * @dec: a decoder with frames in flight
 * @has_input: (scope call) (nullable): whether the caller has another frame
 *   to submit; %NULL to wait for the oldest frame only
 * @user_data: (closure): data for @has_input
 *
 * Waits until the oldest frame in flight is done, or until a thread is free
 * and @has_input says a frame waits. Whoever gives the caller input calls
 * gst_plexus_decoder_wake().
 */
void
gst_plexus_decoder_wait (GstPlexusDecoder *dec,
    GstPlexusDecoderInputFunc has_input, gpointer user_data)
{
  Job *head = g_queue_peek_head (&dec->jobs);

  if (!head)
    return;
  g_mutex_lock (&dec->lock);
  while (!head->done &&
      (!has_input || dec->jobs.length >= dec->n_threads ||
          !has_input (user_data)))
    g_cond_wait (&dec->cond, &dec->lock);
  g_mutex_unlock (&dec->lock);
}

/**
 * gst_plexus_decoder_wake:
 * @dec: a decoder
 *
 * Wakes gst_plexus_decoder_wait() to look at the caller's input again.
 */
void
gst_plexus_decoder_wake (GstPlexusDecoder *dec)
{
  g_mutex_lock (&dec->lock);
  g_cond_signal (&dec->cond);
  g_mutex_unlock (&dec->lock);
}

/**
 * gst_plexus_decoder_discard:
 * @dec: a decoder
 *
 * Drops every frame in flight once its worker is done with it.
 *
 * Returns: how many frames were dropped
 */
guint
gst_plexus_decoder_discard (GstPlexusDecoder *dec)
{
  guint n = 0;
  Job *job;

  while ((job = pop_done (dec))) {
    job_free (job);
    n++;
  }
  return n;
}

/**
 * gst_plexus_decoder_stop:
 * @dec: a decoder
 *
 * Drops the frames in flight, ends the worker threads and clears the
 * format; the thread count stays.
 */
void
gst_plexus_decoder_stop (GstPlexusDecoder *dec)
{
  gst_plexus_decoder_discard (dec);
  if (dec->workers) {
    g_thread_pool_free (dec->workers, FALSE, TRUE);
    dec->workers = NULL;
  }
  gst_plexus_decoder_clear_format (dec);
}

/**
 * gst_plexus_decoder_caps_for:
 * @jpeg: what a JPEG's header says
 *
 * The caps a camera can offer for frames like @jpeg: image/jpeg first, then
 * the raw formats the decoder makes, the cheapest for this JPEG first.
 *
 * Returns: (transfer full): the caps
 */
GstCaps *
gst_plexus_decoder_caps_for (const GstPlexusJpegInfo *jpeg)
{
  const gchar *order;
  g_auto (GStrv) formats = NULL;
  GstCaps *caps;
  guint i;

  if (jpeg->subsampling == GST_PLEXUS_JPEG_SUBSAMPLING_420)
    order = "I420,RGB,BGRx,GRAY8";
  else if (jpeg->subsampling == GST_PLEXUS_JPEG_SUBSAMPLING_GRAY)
    order = "GRAY8,I420,RGB,BGRx";
  else
    order = "RGB,BGRx,I420,GRAY8";
  formats = g_strsplit (order, ",", -1);
  caps = gst_caps_new_simple ("image/jpeg", "width", G_TYPE_INT, jpeg->width,
      "height", G_TYPE_INT, jpeg->height, "framerate", GST_TYPE_FRACTION, 0, 1,
      NULL);
  for (i = 0; formats[i]; i++) {
    GstStructure *raw = gst_structure_new ("video/x-raw", "format",
        G_TYPE_STRING, formats[i], "width", G_TYPE_INT, jpeg->width, "height",
        G_TYPE_INT, jpeg->height, "framerate", GST_TYPE_FRACTION, 0, 1,
        "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);

    /* JPEG (JFIF) YCbCr is BT.601 over the full 0-255 range */
    if (g_str_equal (formats[i], "I420"))
      gst_structure_set (raw, "colorimetry", G_TYPE_STRING, "1:4:0:0", NULL);
    gst_caps_append_structure (caps, raw);
  }
  return caps;
}

/**
 * gst_plexus_decoder_pool_new:
 * @allocation: (nullable): an answered allocation query, %NULL when the peer
 *   did not answer
 * @caps: the raw caps
 * @size: the size of one frame
 *
 * An active pool for the decoded frames: the first pool of @allocation with
 * its settings, else (or when that pool refuses them) a video buffer pool
 * of our own that starts with one buffer and grows while downstream holds
 * frames.
 *
 * Returns: (transfer full) (nullable): the active pool, %NULL when no pool
 *   takes the configuration
 */
GstBufferPool *
gst_plexus_decoder_pool_new (GstQuery *allocation, GstCaps *caps, gsize size)
{
  GstBufferPool *pool = NULL;
  guint qsize = size, min = POOL_MIN_BUFFERS, max = 0;
  GstStructure *config;

  if (allocation && gst_query_get_n_allocation_pools (allocation) > 0)
    gst_query_parse_nth_allocation_pool (
        allocation, 0, &pool, &qsize, &min, &max);
  if (!pool)
    pool = gst_video_buffer_pool_new ();
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (config, caps, MAX (qsize, size), min, max);
  if (!gst_buffer_pool_set_config (pool, config)) {
    /* downstream's pool wants other settings: use our own */
    gst_object_unref (pool);
    pool = gst_video_buffer_pool_new ();
    config = gst_buffer_pool_get_config (pool);
    gst_buffer_pool_config_set_params (config, caps, size, POOL_MIN_BUFFERS, 0);
    if (!gst_buffer_pool_set_config (pool, config)) {
      gst_object_unref (pool);
      return NULL;
    }
  }
  if (!gst_buffer_pool_set_active (pool, TRUE)) {
    gst_object_unref (pool);
    return NULL;
  }
  return pool;
}
